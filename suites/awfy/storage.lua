-- Are We Fast Yet: Storage, the Lua twin of storage.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016). Protocol: twin_protocol.lua; suites/awfy/README.md.
-- A leaf, Java's `new Object[n]`, is a table with n slots (Lua tables cannot hold nil
-- slots, so they hold false).

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local Random = require('awfy_som').Random

local INNER_ITERATIONS = 12

local Storage = {}
Storage.__index = Storage

function Storage.new()
    return setmetatable({count = 0}, Storage)
end

function Storage:build_tree_depth(depth, random)
    self.count = self.count + 1
    if depth == 1 then
        local leaf = {}
        for i = 1, random:next() % 10 + 1 do
            leaf[i] = false
        end
        return leaf
    end
    local arr = {}
    for i = 1, 4 do
        arr[i] = self:build_tree_depth(depth - 1, random)
    end
    return arr
end

local function benchmark()
    local random = Random.new()
    local s = Storage.new()
    s:build_tree_depth(7, random)
    return s.count
end

local function verify_result(result)
    return result == 5461
end

twin.main(function ()
    twin.inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result)
end)
