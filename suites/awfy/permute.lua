-- Are We Fast Yet: Permute, the Lua twin of permute.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016). Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local INNER_ITERATIONS = 25

local Permute = {}
Permute.__index = Permute

function Permute.new()
    return setmetatable({count = 0, v = {0, 0, 0, 0, 0, 0}}, Permute)
end

function Permute:permute(n)
    self.count = self.count + 1
    if n ~= 0 then
        local n1 = n - 1
        self:permute(n1)
        for i = n, 1, -1 do
            self:swap(n, i)
            self:permute(n1)
            self:swap(n, i)
        end
    end
end

function Permute:swap(i, j)
    local v = self.v
    local tmp = v[i]
    v[i] = v[j]
    v[j] = tmp
end

local function benchmark()
    local p = Permute.new()
    p:permute(6)
    return p.count
end

local function verify_result(result)
    return result == 8660
end

twin.main(function ()
    twin.inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result)
end)
