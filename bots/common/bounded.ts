/** A Map that forgets its oldest entries beyond `capacity`, so memory stays bounded. */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores `value`; the key counts as newest again. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.evictOldest();
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }

  clear(): void {
    this.entries.clear();
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next();
    if (oldest.done) return;
    const [key, value] = oldest.value;
    this.entries.delete(key);
    this.onEvict?.(key, value);
  }
}

/** A Set of recent keys that forgets the oldest beyond `capacity`. */
export class BoundedSet<K> {
  private readonly map: BoundedMap<K, true>;

  constructor(capacity: number) {
    this.map = new BoundedMap(capacity);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  add(key: K): void {
    this.map.set(key, true);
  }
}
