-- Kernel sieve (see scripts/kernels/README.md): sieve of Eratosthenes to 2,000,000 over a
-- table of booleans; prints the number of primes.
local function main()
  local n = 2000000
  local flags = {}
  for i = 0, n do
    flags[i + 1] = true
  end
  local count = 0
  for p = 2, n do
    if flags[p + 1] then
      count = count + 1
      local m = p * p
      while m <= n do
        flags[m + 1] = false
        m = m + p
      end
    end
  end
  return count
end

print(string.format("%d", main()))
