-- The Are-We-Fast-Yet library classes for the Lua twins: Vector, Set, IdentitySet,
-- IdentityDictionary and Random, as in the suite's Java library (benchmarks/Java/src/som
-- in https://github.com/smarr/are-we-fast-yet): the benchmarks use these instead of Lua's
-- tables as collections, so every language does the same work (suites/awfy/README.md).
-- Indices are 1-based, as in the suite's Lua port.

local twin = require('twin_protocol')
local band, bxor, rshift = twin.band, twin.bxor, twin.rshift
local floor = math.floor

local INITIAL_SIZE = 10
local INITIAL_CAPACITY = 16

-- A class for the twins: a metatable whose instances find their methods in it, and, given a
-- parent class, the parent's methods too.
local function class(parent)
    local c = {}
    c.__index = c
    if parent then
        setmetatable(c, {__index = parent})
    end
    return c
end

-- A growable sequence over a table of fixed capacity (`capacity`), copied into one twice
-- as large when full; elements live at first_idx..last_idx-1. Storage is allocated on
-- first use when no size is given, as in the Java library.
local Vector = {}
Vector.__index = Vector

function Vector.new(size)
    local storage = nil
    if size then
        storage = {}
    end
    return setmetatable({storage = storage, capacity = size or 0, first_idx = 1,
        last_idx = 1}, Vector)
end

function Vector.with(elem)
    local v = Vector.new(1)
    v:append(elem)
    return v
end

local function copy(storage, first, last)
    local new = {}
    for i = first, last do
        new[i] = storage[i]
    end
    return new
end

function Vector:at(idx)
    if self.storage == nil or idx > self.capacity then
        return nil
    end
    return self.storage[idx]
end

function Vector:at_put(idx, val)
    if self.storage == nil then
        self.storage = {}
        self.capacity = math.max(idx, INITIAL_SIZE)
    elseif idx > self.capacity then
        local new_capacity = self.capacity
        while new_capacity < idx do
            new_capacity = new_capacity * 2
        end
        self.storage = copy(self.storage, self.first_idx, self.last_idx - 1)
        self.capacity = new_capacity
    end
    self.storage[idx] = val
    if self.last_idx < idx + 1 then
        self.last_idx = idx + 1
    end
end

function Vector:append(elem)
    if self.storage == nil then
        self.storage = {}
        self.capacity = INITIAL_SIZE
    elseif self.last_idx > self.capacity then
        self.storage = copy(self.storage, self.first_idx, self.last_idx - 1)
        self.capacity = 2 * self.capacity
    end
    self.storage[self.last_idx] = elem
    self.last_idx = self.last_idx + 1
end

function Vector:is_empty()
    return self.last_idx == self.first_idx
end

function Vector:for_each(fn)
    local storage = self.storage
    for i = self.first_idx, self.last_idx - 1 do
        fn(storage[i])
    end
end

function Vector:has_some(fn)
    local storage = self.storage
    for i = self.first_idx, self.last_idx - 1 do
        if fn(storage[i]) then
            return true
        end
    end
    return false
end

function Vector:get_one(fn)
    local storage = self.storage
    for i = self.first_idx, self.last_idx - 1 do
        local e = storage[i]
        if fn(e) then
            return e
        end
    end
    return nil
end

function Vector:remove_first()
    if self:is_empty() then
        return nil
    end
    self.first_idx = self.first_idx + 1
    return self.storage[self.first_idx - 1]
end

function Vector:remove(obj)
    if self.storage == nil or self:is_empty() then
        return false
    end
    local kept = {}
    local new_last = 1
    local found = false
    local storage = self.storage
    for i = self.first_idx, self.last_idx - 1 do
        local it = storage[i]
        if it == obj then
            found = true
        else
            kept[new_last] = it
            new_last = new_last + 1
        end
    end
    self.storage = kept
    self.last_idx = new_last
    self.first_idx = 1
    return found
end

function Vector:remove_all()
    self.first_idx = 1
    self.last_idx = 1
    if self.storage ~= nil then
        self.storage = {}
    end
end

function Vector:size()
    return self.last_idx - self.first_idx
end

-- Sorts in place; compare(a, b) answers a negative number, 0 or a positive number.
function Vector:sort(compare)
    if self:size() > 0 then
        self:sort_range(self.first_idx, self.last_idx - 1, compare)
    end
end

function Vector:sort_range(i, j, compare)
    local n = j + 1 - i
    if n <= 1 then
        return
    end
    local storage = self.storage
    local di, dj = storage[i], storage[j]
    if compare(di, dj) > 0 then
        storage[i], storage[j] = storage[j], storage[i]
        di, dj = dj, di
    end
    if n > 2 then
        local ij = floor((i + j) / 2)
        local dij = storage[ij]
        if compare(di, dij) <= 0 then
            if compare(dij, dj) > 0 then
                storage[j], storage[ij] = storage[ij], storage[j]
                dij = dj
            end
        else
            storage[i], storage[ij] = storage[ij], storage[i]
            dij = di
        end
        if n > 3 then
            local k, l = i, j - 1
            while true do
                while k <= l and compare(dij, storage[l]) <= 0 do
                    l = l - 1
                end
                k = k + 1
                while k <= l and compare(storage[k], dij) <= 0 do
                    k = k + 1
                end
                if k > l then
                    break
                end
                storage[k], storage[l] = storage[l], storage[k]
            end
            self:sort_range(i, l, compare)
            self:sort_range(k, j, compare)
        end
    end
end

-- A Vector without duplicates, membership by a linear scan. Lua's `==` compares tables by
-- identity and numbers by value, so one class serves as the suite's Set (on numbers) and
-- IdentitySet (on objects).
local Set = {}
Set.__index = Set

function Set.new(size)
    return setmetatable({items = Vector.new(size or INITIAL_SIZE)}, Set)
end

function Set:size()
    return self.items:size()
end

function Set:for_each(fn)
    self.items:for_each(fn)
end

function Set:has_some(fn)
    return self.items:has_some(fn)
end

function Set:get_one(fn)
    return self.items:get_one(fn)
end

function Set:add(obj)
    if not self:contains(obj) then
        self.items:append(obj)
    end
end

function Set:remove_all()
    self.items:remove_all()
end

function Set:contains(obj)
    return self:has_some(function (e) return e == obj end)
end

-- A chained hash table keyed by objects with custom_hash(), matched by identity; the
-- buckets (indexed from 0, as the hash masks them) double, splitting each chain, when
-- the size exceeds their number.
local IdEntry = {}
IdEntry.__index = IdEntry

function IdEntry.new(hash, key, value, next)
    return setmetatable({hash = hash, key = key, value = value, next = next}, IdEntry)
end

function IdEntry:match(hash, key)
    return self.hash == hash and self.key == key
end

local function dictionary_hash(key)
    if key == nil then
        return 0
    end
    local hash = key:custom_hash()
    return bxor(hash, rshift(hash, 16))
end

local IdentityDictionary = {}
IdentityDictionary.__index = IdentityDictionary

function IdentityDictionary.new(size)
    return setmetatable({buckets = {}, num_buckets = size or INITIAL_CAPACITY, size = 0},
        IdentityDictionary)
end

function IdentityDictionary:is_empty()
    return self.size == 0
end

function IdentityDictionary:at(key)
    local hash = dictionary_hash(key)
    local e = self.buckets[band(self.num_buckets - 1, hash)]
    while e do
        if e:match(hash, key) then
            return e.value
        end
        e = e.next
    end
    return nil
end

function IdentityDictionary:contains_key(key)
    local hash = dictionary_hash(key)
    local e = self.buckets[band(self.num_buckets - 1, hash)]
    while e do
        if e:match(hash, key) then
            return true
        end
        e = e.next
    end
    return false
end

function IdentityDictionary:at_put(key, value)
    local hash = dictionary_hash(key)
    local i = band(self.num_buckets - 1, hash)
    local current = self.buckets[i]
    if current == nil then
        self.buckets[i] = IdEntry.new(hash, key, value, nil)
        self.size = self.size + 1
    else
        self:insert_bucket_entry(key, value, hash, current)
    end
    if self.size > self.num_buckets then
        self:resize()
    end
end

function IdentityDictionary:insert_bucket_entry(key, value, hash, head)
    local current = head
    while true do
        if current:match(hash, key) then
            current.value = value
            return
        end
        if current.next == nil then
            self.size = self.size + 1
            current.next = IdEntry.new(hash, key, value, nil)
            return
        end
        current = current.next
    end
end

function IdentityDictionary:resize()
    local old_storage, old_n = self.buckets, self.num_buckets
    self.buckets = {}
    self.num_buckets = old_n * 2
    self:transfer_entries(old_storage, old_n)
end

function IdentityDictionary:transfer_entries(old_storage, old_n)
    for i = 0, old_n - 1 do
        local current = old_storage[i]
        if current then
            old_storage[i] = nil
            if current.next == nil then
                self.buckets[band(current.hash, self.num_buckets - 1)] = current
            else
                self:split_bucket(old_n, i, current)
            end
        end
    end
end

function IdentityDictionary:split_bucket(old_n, i, head)
    local lo_head, lo_tail, hi_head, hi_tail = nil, nil, nil, nil
    local current = head
    while current do
        if band(current.hash, old_n) == 0 then
            if lo_tail == nil then
                lo_head = current
            else
                lo_tail.next = current
            end
            lo_tail = current
        else
            if hi_tail == nil then
                hi_head = current
            else
                hi_tail.next = current
            end
            hi_tail = current
        end
        current = current.next
    end
    if lo_tail then
        lo_tail.next = nil
        self.buckets[i] = lo_head
    end
    if hi_tail then
        hi_tail.next = nil
        self.buckets[i + old_n] = hi_head
    end
end

function IdentityDictionary:remove_all()
    self.buckets = {}
    self.size = 0
end

function IdentityDictionary:keys()
    local keys = Vector.new(self.size)
    for i = 0, self.num_buckets - 1 do
        local current = self.buckets[i]
        while current do
            keys:append(current.key)
            current = current.next
        end
    end
    return keys
end

function IdentityDictionary:values()
    local values = Vector.new(self.size)
    for i = 0, self.num_buckets - 1 do
        local current = self.buckets[i]
        while current do
            values:append(current.value)
            current = current.next
        end
    end
    return values
end

-- The suite's 16-bit linear congruential generator, seeded with 74755.
local Random = {}
Random.__index = Random

function Random.new()
    return setmetatable({seed = 74755}, Random)
end

function Random:next()
    self.seed = (self.seed * 1309 + 13849) % 65536
    return self.seed
end

return {
    class = class,
    Vector = Vector,
    Set = Set,
    IdentitySet = Set,
    IdentityDictionary = IdentityDictionary,
    Random = Random,
}
