"""The Are-We-Fast-Yet library classes for the Python twins: Vector, Set, IdentitySet,
IdentityDictionary and Random, as in the suite's Java library (benchmarks/Java/src/som in
https://github.com/smarr/are-we-fast-yet): the benchmarks use these instead of Python's
built-in collections, so every language does the same work (suites/awfy/README.md).
"""

INITIAL_SIZE = 10
INITIAL_CAPACITY = 16


class Vector:
    """A growable sequence over a fixed-size list, copied into one twice as large when
    full; elements live at first_idx..last_idx-1. Storage is allocated on first use."""

    def __init__(self, size=None):
        self.storage = None if size is None else [None] * size
        self.first_idx = 0
        self.last_idx = 0

    @staticmethod
    def with_element(elem):
        v = Vector(1)
        v.append(elem)
        return v

    def at(self, idx):
        if self.storage is None or idx >= len(self.storage):
            return None
        return self.storage[idx]

    def at_put(self, idx, val):
        if self.storage is None:
            self.storage = [None] * max(idx + 1, INITIAL_SIZE)
        elif idx >= len(self.storage):
            new_length = len(self.storage)
            while new_length <= idx:
                new_length *= 2
            self.storage = self.storage + [None] * (new_length - len(self.storage))
        self.storage[idx] = val
        if self.last_idx < idx + 1:
            self.last_idx = idx + 1

    def append(self, elem):
        if self.storage is None:
            self.storage = [None] * INITIAL_SIZE
        elif self.last_idx >= len(self.storage):
            self.storage = self.storage + [None] * len(self.storage)
        self.storage[self.last_idx] = elem
        self.last_idx += 1

    def is_empty(self):
        return self.last_idx == self.first_idx

    def for_each(self, fn):
        for i in range(self.first_idx, self.last_idx):
            fn(self.storage[i])

    def has_some(self, fn):
        for i in range(self.first_idx, self.last_idx):
            if fn(self.storage[i]):
                return True
        return False

    def get_one(self, fn):
        for i in range(self.first_idx, self.last_idx):
            e = self.storage[i]
            if fn(e):
                return e
        return None

    def remove_first(self):
        if self.is_empty():
            return None
        self.first_idx += 1
        return self.storage[self.first_idx - 1]

    def remove(self, obj):
        if self.storage is None or self.is_empty():
            return False
        kept = [None] * self.capacity()
        new_last = 0
        found = False
        for i in range(self.first_idx, self.last_idx):
            it = self.storage[i]
            if it is obj:
                found = True
            else:
                kept[new_last] = it
                new_last += 1
        self.storage = kept
        self.last_idx = new_last
        self.first_idx = 0
        return found

    def remove_all(self):
        self.first_idx = 0
        self.last_idx = 0
        if self.storage is not None:
            self.storage = [None] * len(self.storage)

    def size(self):
        return self.last_idx - self.first_idx

    def capacity(self):
        return 0 if self.storage is None else len(self.storage)

    def sort(self, compare):
        """Sorts in place; compare(a, b) answers a negative int, 0 or a positive int."""
        if self.size() > 0:
            self._sort(self.first_idx, self.last_idx - 1, compare)

    def _sort(self, i, j, compare):
        n = j + 1 - i
        if n <= 1:
            return
        storage = self.storage
        di = storage[i]
        dj = storage[j]
        if compare(di, dj) > 0:
            storage[i], storage[j] = storage[j], storage[i]
            di, dj = dj, di
        if n > 2:
            ij = (i + j) // 2
            dij = storage[ij]
            if compare(di, dij) <= 0:
                if compare(dij, dj) > 0:
                    storage[j], storage[ij] = storage[ij], storage[j]
                    dij = dj
            else:
                storage[i], storage[ij] = storage[ij], storage[i]
                dij = di
            if n > 3:
                k = i
                l = j - 1
                while True:
                    while k <= l and compare(dij, storage[l]) <= 0:
                        l -= 1
                    k += 1
                    while k <= l and compare(storage[k], dij) <= 0:
                        k += 1
                    if k > l:
                        break
                    storage[k], storage[l] = storage[l], storage[k]
                self._sort(i, l, compare)
                self._sort(k, j, compare)


class Set:
    """A Vector without duplicates; membership by a linear scan with `==`."""

    def __init__(self, size=INITIAL_SIZE):
        self.items = Vector(size)

    def size(self):
        return self.items.size()

    def for_each(self, fn):
        self.items.for_each(fn)

    def has_some(self, fn):
        return self.items.has_some(fn)

    def get_one(self, fn):
        return self.items.get_one(fn)

    def add(self, obj):
        if not self.contains(obj):
            self.items.append(obj)

    def remove_all(self):
        self.items.remove_all()

    def collect(self, fn):
        coll = Vector()
        self.for_each(lambda e: coll.append(fn(e)))
        return coll

    def contains(self, obj):
        return self.has_some(lambda e: e == obj)


class IdentitySet(Set):
    """A Set whose membership test is identity."""

    def contains(self, obj):
        return self.has_some(lambda e: e is obj)


class _IdEntry:
    __slots__ = ("hash", "key", "value", "next")

    def __init__(self, hash_, key, value, next_):
        self.hash = hash_
        self.key = key
        self.value = value
        self.next = next_

    def match(self, hash_, key):
        return self.hash == hash_ and self.key is key


def _hash(key):
    if key is None:
        return 0
    h = key.custom_hash()
    return h ^ (h >> 16)


class IdentityDictionary:
    """A chained hash table keyed by objects with custom_hash(), matched by identity;
    the buckets double (splitting each chain) when the size exceeds their number."""

    def __init__(self, size=INITIAL_CAPACITY):
        self.buckets = [None] * size
        self.size = 0

    def is_empty(self):
        return self.size == 0

    def _bucket_idx(self, hash_):
        return (len(self.buckets) - 1) & hash_

    def at(self, key):
        hash_ = _hash(key)
        e = self.buckets[self._bucket_idx(hash_)]
        while e is not None:
            if e.match(hash_, key):
                return e.value
            e = e.next
        return None

    def contains_key(self, key):
        hash_ = _hash(key)
        e = self.buckets[self._bucket_idx(hash_)]
        while e is not None:
            if e.match(hash_, key):
                return True
            e = e.next
        return False

    def at_put(self, key, value):
        hash_ = _hash(key)
        i = self._bucket_idx(hash_)
        current = self.buckets[i]
        if current is None:
            self.buckets[i] = _IdEntry(hash_, key, value, None)
            self.size += 1
        else:
            self._insert_bucket_entry(key, value, hash_, current)
        if self.size > len(self.buckets):
            self._resize()

    def _insert_bucket_entry(self, key, value, hash_, head):
        current = head
        while True:
            if current.match(hash_, key):
                current.value = value
                return
            if current.next is None:
                self.size += 1
                current.next = _IdEntry(hash_, key, value, None)
                return
            current = current.next

    def _resize(self):
        old_storage = self.buckets
        self.buckets = [None] * (len(old_storage) * 2)
        self._transfer_entries(old_storage)

    def _transfer_entries(self, old_storage):
        for i in range(len(old_storage)):
            current = old_storage[i]
            if current is not None:
                old_storage[i] = None
                if current.next is None:
                    self.buckets[current.hash & (len(self.buckets) - 1)] = current
                else:
                    self._split_bucket(old_storage, i, current)

    def _split_bucket(self, old_storage, i, head):
        lo_head = lo_tail = hi_head = hi_tail = None
        current = head
        while current is not None:
            if (current.hash & len(old_storage)) == 0:
                if lo_tail is None:
                    lo_head = current
                else:
                    lo_tail.next = current
                lo_tail = current
            else:
                if hi_tail is None:
                    hi_head = current
                else:
                    hi_tail.next = current
                hi_tail = current
            current = current.next
        if lo_tail is not None:
            lo_tail.next = None
            self.buckets[i] = lo_head
        if hi_tail is not None:
            hi_tail.next = None
            self.buckets[i + len(old_storage)] = hi_head

    def remove_all(self):
        self.buckets = [None] * len(self.buckets)
        self.size = 0

    def keys(self):
        keys = Vector(self.size)
        for current in self.buckets:
            while current is not None:
                keys.append(current.key)
                current = current.next
        return keys

    def values(self):
        values = Vector(self.size)
        for current in self.buckets:
            while current is not None:
                values.append(current.value)
                current = current.next
        return values


class Random:
    """The suite's 16-bit linear congruential generator, seeded with 74755."""

    def __init__(self):
        self.seed = 74755

    def next(self):
        self.seed = ((self.seed * 1309) + 13849) & 65535
        return self.seed
