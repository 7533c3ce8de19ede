#!/usr/bin/env node
// Runs the TypeScript CLI directly, so `npx chains` works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// The SDK warns on every run under Node 20 that future SDK releases need Node 22; the versions
// locked in package-lock.json run on both, so the warning is noise for a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
