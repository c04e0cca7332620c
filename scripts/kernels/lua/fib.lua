-- Kernel fib (see scripts/kernels/README.md): recursive fib(30); measures call overhead.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

print(string.format("%d", fib(30)))
