// The order `String.prototype.localeCompare` gives, as one collator instead of one per comparison.
const collator = new Intl.Collator();

/**
 * A Map that also keeps its keys sorted (by `localeCompare`), updated on every set and delete,
 * so a stand-in can list in name order without sorting everything on each call. Start it empty:
 * entries passed to the constructor would bypass the order.
 */
export class OrderedMap<V> extends Map<string, V> {
  private readonly sorted: string[] = [];

  override set(key: string, value: V): this {
    // After any key that collates equal, as a stable sort of insertion order would place it.
    if (!super.has(key)) this.sorted.splice(this.position(key, true), 0, key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    // Distinct keys can collate equal: find this one among them.
    let at = this.position(key);
    while (this.sorted[at] !== key) at++;
    this.sorted.splice(at, 1);
    return true;
  }

  override clear(): void {
    super.clear();
    this.sorted.length = 0;
  }

  /** Keys in order. */
  orderedKeys(): readonly string[] {
    return this.sorted;
  }

  private position(key: string, after = false): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const order = collator.compare(this.sorted[middle]!, key);
      if (order < 0 || (after && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
