-- Kernel loops (see scripts/kernels/README.md): nested 3000 x 3000 loops with a modulo.
local function main()
  local s = 0
  for i = 0, 2999 do
    for j = 0, 2999 do
      s = (s + i * j) % 1000003
    end
  end
  return s
end

print(string.format("%d", main()))
