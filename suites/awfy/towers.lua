-- Are We Fast Yet: Towers, the Lua twin of towers.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016). Protocol: twin_protocol.lua; suites/awfy/README.md.
-- Piles are numbered 1..3; as in the Java reference, 14 disks (sizes 13..0) are stacked
-- and the top 13 moved.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local INNER_ITERATIONS = 12

local Towers = {}
Towers.__index = Towers

function Towers.new()
    return setmetatable({piles = {}, moves_done = 0}, Towers)
end

function Towers:push_disk(disk, pile)
    local top = self.piles[pile]
    if top and disk.size >= top.size then
        error('Cannot put a big disk on a smaller one')
    end
    disk.next = top
    self.piles[pile] = disk
end

function Towers:pop_disk_from(pile)
    local top = self.piles[pile]
    if not top then
        error('Attempting to remove a disk from an empty pile')
    end
    self.piles[pile] = top.next
    top.next = nil
    return top
end

function Towers:move_top_disk(from_pile, to_pile)
    self:push_disk(self:pop_disk_from(from_pile), to_pile)
    self.moves_done = self.moves_done + 1
end

function Towers:build_tower_at(pile, disks)
    for i = disks, 0, -1 do
        self:push_disk({size = i, next = nil}, pile)
    end
end

function Towers:move_disks(disks, from_pile, to_pile)
    if disks == 1 then
        self:move_top_disk(from_pile, to_pile)
    else
        local other_pile = 6 - from_pile - to_pile
        self:move_disks(disks - 1, from_pile, other_pile)
        self:move_top_disk(from_pile, to_pile)
        self:move_disks(disks - 1, other_pile, to_pile)
    end
end

local function benchmark()
    local t = Towers.new()
    t:build_tower_at(1, 13)
    t:move_disks(13, 1, 2)
    return t.moves_done
end

local function verify_result(result)
    return result == 8191
end

twin.main(function ()
    twin.inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result)
end)
