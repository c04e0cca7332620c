-- Are We Fast Yet: CD, the Lua twin of cd.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016), after the collision detector of CD_x (Kalibera et al., JTRES 2009).
-- Unlike the Ruff port, it calls the C library's sin and cos (math.sin, math.cos). Call
-- signs are numbered from 0 as in the reference, so the aircraft's positions are the same.
-- Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local class = require('awfy_som').class
local Vector = require('awfy_som').Vector
local sqrt, sin, cos, floor, ceil = math.sqrt, math.sin, math.cos, math.floor, math.ceil

local INNER_ITERATIONS = 10

local MIN_X = 0.0
local MIN_Y = 0.0
local MAX_X = 1000.0
local MAX_Y = 1000.0
local MIN_Z = 0.0
local MAX_Z = 10.0
local PROXIMITY_RADIUS = 1.0
local GOOD_VOXEL_SIZE = PROXIMITY_RADIUS * 2.0

local RED = 0
local BLACK = 1

-- ---- vectors --------------------------------------------------------------------------

-- Orders numbers, with NaN below everything else (as the reference's compareNumbers).
local function compare_numbers(a, b)
    if a == b then
        return 0
    elseif a < b then
        return -1
    elseif a > b then
        return 1
    elseif a == a then
        return 1
    end
    return -1
end

local Vector2D = class()

function Vector2D.new(x, y)
    return setmetatable({x = x, y = y}, Vector2D)
end

function Vector2D:plus(other)
    return Vector2D.new(self.x + other.x, self.y + other.y)
end

function Vector2D:minus(other)
    return Vector2D.new(self.x - other.x, self.y - other.y)
end

function Vector2D:compare_to(other)
    local result = compare_numbers(self.x, other.x)
    if result ~= 0 then
        return result
    end
    return compare_numbers(self.y, other.y)
end

local Vector3D = class()

function Vector3D.new(x, y, z)
    return setmetatable({x = x, y = y, z = z}, Vector3D)
end

function Vector3D:plus(other)
    return Vector3D.new(self.x + other.x, self.y + other.y, self.z + other.z)
end

function Vector3D:minus(other)
    return Vector3D.new(self.x - other.x, self.y - other.y, self.z - other.z)
end

function Vector3D:dot(other)
    return self.x * other.x + self.y * other.y + self.z * other.z
end

function Vector3D:squared_magnitude()
    return self:dot(self)
end

function Vector3D:magnitude()
    return sqrt(self:squared_magnitude())
end

function Vector3D:times(amount)
    return Vector3D.new(self.x * amount, self.y * amount, self.z * amount)
end

-- ---- the red-black tree ---------------------------------------------------------------

local function tree_minimum(x)
    while x.left ~= nil do
        x = x.left
    end
    return x
end

local RbtNode = class()

function RbtNode.new(key, value)
    return setmetatable({key = key, value = value, left = nil, right = nil, parent = nil,
        color = RED}, RbtNode)
end

function RbtNode:successor()
    local x = self
    if x.right ~= nil then
        return tree_minimum(x.right)
    end
    local y = x.parent
    while y ~= nil and x == y.right do
        x = y
        y = y.parent
    end
    return y
end

local RbtEntry = class()

function RbtEntry.new(key, value)
    return setmetatable({key = key, value = value}, RbtEntry)
end

local InsertResult = class()

function InsertResult.new(is_new_entry, new_node, old_value)
    return setmetatable({is_new_entry = is_new_entry, new_node = new_node,
        old_value = old_value}, InsertResult)
end

local RedBlackTree = class()

function RedBlackTree.new()
    return setmetatable({root = nil}, RedBlackTree)
end

-- Inserts or updates; answers the old value (nil for a new key).
function RedBlackTree:put(key, value)
    local insertion_result = self:tree_insert(key, value)
    if not insertion_result.is_new_entry then
        return insertion_result.old_value
    end
    local x = insertion_result.new_node
    while x ~= self.root and x.parent.color == RED do
        if x.parent == x.parent.parent.left then
            local y = x.parent.parent.right
            if y ~= nil and y.color == RED then
                -- Case 1
                x.parent.color = BLACK
                y.color = BLACK
                x.parent.parent.color = RED
                x = x.parent.parent
            else
                if x == x.parent.right then
                    -- Case 2
                    x = x.parent
                    self:left_rotate(x)
                end
                -- Case 3
                x.parent.color = BLACK
                x.parent.parent.color = RED
                self:right_rotate(x.parent.parent)
            end
        else
            -- Same as the then-branch with "right" and "left" exchanged.
            local y = x.parent.parent.left
            if y ~= nil and y.color == RED then
                -- Case 1
                x.parent.color = BLACK
                y.color = BLACK
                x.parent.parent.color = RED
                x = x.parent.parent
            else
                if x == x.parent.left then
                    -- Case 2
                    x = x.parent
                    self:right_rotate(x)
                end
                -- Case 3
                x.parent.color = BLACK
                x.parent.parent.color = RED
                self:left_rotate(x.parent.parent)
            end
        end
    end
    self.root.color = BLACK
    return nil
end

function RedBlackTree:remove(key)
    local z = self:find_node(key)
    if z == nil then
        return nil
    end
    -- y is the node to be unlinked from the tree.
    local y = z
    if z.left ~= nil and z.right ~= nil then
        y = z:successor()
    end
    -- y is not nil here; x is the child of y that may replace it (x may be nil).
    local x = y.right
    if y.left ~= nil then
        x = y.left
    end
    local x_parent = y.parent
    if x ~= nil then
        x.parent = y.parent
        x_parent = x.parent
    end
    if y.parent == nil then
        self.root = x
    elseif y == y.parent.left then
        y.parent.left = x
    else
        y.parent.right = x
    end
    if y ~= z then
        if y.color == BLACK then
            self:remove_fixup(x, x_parent)
        end
        y.parent = z.parent
        y.color = z.color
        y.left = z.left
        y.right = z.right
        if z.left ~= nil then
            z.left.parent = y
        end
        if z.right ~= nil then
            z.right.parent = y
        end
        if z.parent ~= nil then
            if z.parent.left == z then
                z.parent.left = y
            else
                z.parent.right = y
            end
        else
            self.root = y
        end
    elseif y.color == BLACK then
        self:remove_fixup(x, x_parent)
    end
    return z.value
end

function RedBlackTree:get(key)
    local node = self:find_node(key)
    if node == nil then
        return nil
    end
    return node.value
end

function RedBlackTree:for_each(fn)
    if self.root == nil then
        return
    end
    local current = tree_minimum(self.root)
    while current ~= nil do
        fn(RbtEntry.new(current.key, current.value))
        current = current:successor()
    end
end

function RedBlackTree:find_node(key)
    local current = self.root
    while current ~= nil do
        local comparison_result = key:compare_to(current.key)
        if comparison_result == 0 then
            return current
        elseif comparison_result < 0 then
            current = current.left
        else
            current = current.right
        end
    end
    return nil
end

function RedBlackTree:tree_insert(key, value)
    local y = nil
    local x = self.root
    while x ~= nil do
        y = x
        local comparison_result = key:compare_to(x.key)
        if comparison_result < 0 then
            x = x.left
        elseif comparison_result > 0 then
            x = x.right
        else
            local old_value = x.value
            x.value = value
            return InsertResult.new(false, nil, old_value)
        end
    end
    local z = RbtNode.new(key, value)
    z.parent = y
    if y == nil then
        self.root = z
    elseif key:compare_to(y.key) < 0 then
        y.left = z
    else
        y.right = z
    end
    return InsertResult.new(true, z, nil)
end

function RedBlackTree:left_rotate(x)
    local y = x.right
    -- Turn y's left subtree into x's right subtree.
    x.right = y.left
    if y.left ~= nil then
        y.left.parent = x
    end
    -- Link x's parent to y.
    y.parent = x.parent
    if x.parent == nil then
        self.root = y
    elseif x == x.parent.left then
        x.parent.left = y
    else
        x.parent.right = y
    end
    -- Put x on y's left.
    y.left = x
    x.parent = y
    return y
end

function RedBlackTree:right_rotate(y)
    local x = y.left
    -- Turn x's right subtree into y's left subtree.
    y.left = x.right
    if x.right ~= nil then
        x.right.parent = y
    end
    -- Link y's parent to x.
    x.parent = y.parent
    if y.parent == nil then
        self.root = x
    elseif y == y.parent.left then
        y.parent.left = x
    else
        y.parent.right = x
    end
    x.right = y
    y.parent = x
    return x
end

function RedBlackTree:remove_fixup(x, x_parent)
    while x ~= self.root and (x == nil or x.color == BLACK) do
        if x == x_parent.left then
            -- w cannot be nil here, by the properties of the red-black tree.
            local w = x_parent.right
            if w.color == RED then
                -- Case 1
                w.color = BLACK
                x_parent.color = RED
                self:left_rotate(x_parent)
                w = x_parent.right
            end
            if (w.left == nil or w.left.color == BLACK) and
                (w.right == nil or w.right.color == BLACK) then
                -- Case 2
                w.color = RED
                x = x_parent
                x_parent = x.parent
            else
                if w.right == nil or w.right.color == BLACK then
                    -- Case 3
                    w.left.color = BLACK
                    w.color = RED
                    self:right_rotate(w)
                    w = x_parent.right
                end
                -- Case 4
                w.color = x_parent.color
                x_parent.color = BLACK
                if w.right ~= nil then
                    w.right.color = BLACK
                end
                self:left_rotate(x_parent)
                x = self.root
                x_parent = x.parent
            end
        else
            -- Same as the then-branch with "right" and "left" exchanged.
            local w = x_parent.left
            if w.color == RED then
                -- Case 1
                w.color = BLACK
                x_parent.color = RED
                self:right_rotate(x_parent)
                w = x_parent.left
            end
            if (w.right == nil or w.right.color == BLACK) and
                (w.left == nil or w.left.color == BLACK) then
                -- Case 2
                w.color = RED
                x = x_parent
                x_parent = x.parent
            else
                if w.left == nil or w.left.color == BLACK then
                    -- Case 3
                    w.right.color = BLACK
                    w.color = RED
                    self:left_rotate(w)
                    w = x_parent.left
                end
                -- Case 4
                w.color = x_parent.color
                x_parent.color = BLACK
                if w.left ~= nil then
                    w.left.color = BLACK
                end
                self:right_rotate(x_parent)
                x = self.root
                x_parent = x.parent
            end
        end
    end
    if x ~= nil then
        x.color = BLACK
    end
end

-- ---- aircraft and motions -------------------------------------------------------------

local CallSign = class()

function CallSign.new(value)
    return setmetatable({value = value}, CallSign)
end

function CallSign:compare_to(other)
    if self.value == other.value then
        return 0
    elseif self.value < other.value then
        return -1
    end
    return 1
end

local Collision = class()

function Collision.new(aircraft_a, aircraft_b, position)
    return setmetatable({aircraft_a = aircraft_a, aircraft_b = aircraft_b,
        position = position}, Collision)
end

local Aircraft = class()

function Aircraft.new(callsign, position)
    return setmetatable({callsign = callsign, position = position}, Aircraft)
end

local Motion = class()

function Motion.new(callsign, pos_one, pos_two)
    return setmetatable({callsign = callsign, pos_one = pos_one, pos_two = pos_two}, Motion)
end

function Motion:delta()
    return self.pos_two:minus(self.pos_one)
end

-- The point where the two aircraft come within PROXIMITY_RADIUS during the frame (both
-- moving at constant speed along their segments), or nil.
function Motion:find_intersection(other)
    local init1 = self.pos_one
    local init2 = other.pos_one
    local vec1 = self:delta()
    local vec2 = other:delta()
    local radius = PROXIMITY_RADIUS
    -- a = (V2 - V1)^T * (V2 - V1)
    local a = vec2:minus(vec1):squared_magnitude()
    if a ~= 0.0 then
        -- Solve 0 = c + b*v + a*v^2 for the times v when the distance is exactly r:
        -- b = 2 * <I1-I2, V1-V2>, c = -r^2 + (I2 - I1)^T * (I2 - I1)
        local b = 2.0 * init1:minus(init2):dot(vec1:minus(vec2))
        local c = -radius * radius + init2:minus(init1):squared_magnitude()
        local discr = b * b - 4.0 * a * c
        if discr < 0.0 then
            return nil
        end
        local v1 = (-b - sqrt(discr)) / (2.0 * a)
        local v2 = (-b + sqrt(discr)) / (2.0 * a)
        if v1 <= v2 and ((v1 <= 1.0 and 1.0 <= v2) or (v1 <= 0.0 and 0.0 <= v2) or
            (0.0 <= v1 and v2 <= 1.0)) then
            -- Report the collision at the start of the frame if it began before it,
            -- else at the moment it begins.
            local v = v1
            if v1 <= 0.0 then
                v = 0.0
            end
            local result1 = init1:plus(vec1:times(v))
            local result2 = init2:plus(vec2:times(v))
            local result = result1:plus(result2):times(0.5)
            if result.x >= MIN_X and result.x <= MAX_X and result.y >= MIN_Y and
                result.y <= MAX_Y and result.z >= MIN_Z and result.z <= MAX_Z then
                return result
            end
        end
        return nil
    end
    -- Same speed in parallel (or not moving): the distance is constant.
    local dist = init2:minus(init1):magnitude()
    if dist <= radius then
        return init1:plus(init2):times(0.5)
    end
    return nil
end

-- ---- the collision detector -----------------------------------------------------------

local HORIZONTAL = Vector2D.new(GOOD_VOXEL_SIZE, 0.0)
local VERTICAL = Vector2D.new(0.0, GOOD_VOXEL_SIZE)

local function is_in_voxel(voxel, motion)
    if voxel.x > MAX_X or voxel.x < MIN_X or voxel.y > MAX_Y or voxel.y < MIN_Y then
        return false
    end
    local init = motion.pos_one
    local fin = motion.pos_two
    local v_s = GOOD_VOXEL_SIZE
    local r = PROXIMITY_RADIUS / 2.0
    local v_x = voxel.x
    local x0 = init.x
    local xv = fin.x - init.x
    local v_y = voxel.y
    local y0 = init.y
    local yv = fin.y - init.y

    local low_x = (v_x - r - x0) / xv
    local high_x = (v_x + v_s + r - x0) / xv
    if xv < 0.0 then
        low_x, high_x = high_x, low_x
    end
    local low_y = (v_y - r - y0) / yv
    local high_y = (v_y + v_s + r - y0) / yv
    if yv < 0.0 then
        low_y, high_y = high_y, low_y
    end
    return (((xv == 0.0 and v_x <= x0 + r and x0 - r <= v_x + v_s) or -- no motion in x
        (low_x <= 1.0 and 1.0 <= high_x) or (low_x <= 0.0 and 0.0 <= high_x) or
        (0.0 <= low_x and high_x <= 1.0)) and
        ((yv == 0.0 and v_y <= y0 + r and y0 - r <= v_y + v_s) or -- no motion in y
        ((low_y <= 1.0 and 1.0 <= high_y) or (low_y <= 0.0 and 0.0 <= high_y) or
        (0.0 <= low_y and high_y <= 1.0))) and
        (xv == 0.0 or yv == 0.0 or -- no motion in x or y or both
        (low_y <= high_x and high_x <= high_y) or
        (low_y <= low_x and low_x <= high_y) or
        (low_x <= low_y and high_y <= high_x)))
end

local function put_into_map(voxel_map, voxel, motion)
    local array = voxel_map:get(voxel)
    if array == nil then
        array = Vector.new()
        voxel_map:put(voxel, array)
    end
    array:append(motion)
end

local function recurse(voxel_map, seen, next_voxel, motion)
    if not is_in_voxel(next_voxel, motion) then
        return
    end
    if seen:put(next_voxel, true) == true then
        return
    end
    put_into_map(voxel_map, next_voxel, motion)
    recurse(voxel_map, seen, next_voxel:minus(HORIZONTAL), motion)
    recurse(voxel_map, seen, next_voxel:plus(HORIZONTAL), motion)
    recurse(voxel_map, seen, next_voxel:minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel:plus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel:minus(HORIZONTAL):minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel:minus(HORIZONTAL):plus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel:plus(HORIZONTAL):minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel:plus(HORIZONTAL):plus(VERTICAL), motion)
end

-- Java's (int) cast: truncation toward zero.
local function truncate(x)
    if x < 0 then
        return ceil(x)
    end
    return floor(x)
end

local function voxel_hash(position)
    local x_div = truncate(position.x / GOOD_VOXEL_SIZE)
    local y_div = truncate(position.y / GOOD_VOXEL_SIZE)
    local x = GOOD_VOXEL_SIZE * x_div
    local y = GOOD_VOXEL_SIZE * y_div
    if position.x < 0 then
        x = x - GOOD_VOXEL_SIZE
    end
    if position.y < 0 then
        y = y - GOOD_VOXEL_SIZE
    end
    return Vector2D.new(x, y)
end

local function draw_motion_on_voxel_map(voxel_map, motion)
    local seen = RedBlackTree.new()
    recurse(voxel_map, seen, voxel_hash(motion.pos_one), motion)
end

local function reduce_collision_set(motions)
    local voxel_map = RedBlackTree.new()
    motions:for_each(function (motion)
        draw_motion_on_voxel_map(voxel_map, motion)
    end)
    local result = Vector.new()
    voxel_map:for_each(function (e)
        if e.value:size() > 1 then
            result:append(e.value)
        end
    end)
    return result
end

local CollisionDetector = class()

function CollisionDetector.new()
    return setmetatable({state = RedBlackTree.new()}, CollisionDetector)
end

function CollisionDetector:handle_new_frame(frame)
    local motions = Vector.new()
    local seen = RedBlackTree.new()
    frame:for_each(function (aircraft)
        local old_position = self.state:put(aircraft.callsign, aircraft.position)
        local new_position = aircraft.position
        seen:put(aircraft.callsign, true)
        if old_position == nil then
            -- Treat newly introduced aircraft as if they were stationary.
            old_position = new_position
        end
        motions:append(Motion.new(aircraft.callsign, old_position, new_position))
    end)

    -- Remove aircraft that are no longer present.
    local to_remove = Vector.new()
    self.state:for_each(function (e)
        if not seen:get(e.key) then
            to_remove:append(e.key)
        end
    end)
    to_remove:for_each(function (e)
        self.state:remove(e)
    end)

    local all_reduced = reduce_collision_set(motions)
    local collisions = Vector.new()
    all_reduced:for_each(function (reduced)
        for i = 1, reduced:size() do
            local motion1 = reduced:at(i)
            for j = i + 1, reduced:size() do
                local motion2 = reduced:at(j)
                local collision = motion1:find_intersection(motion2)
                if collision ~= nil then
                    collisions:append(Collision.new(motion1.callsign, motion2.callsign,
                        collision))
                end
            end
        end
    end)
    return collisions
end

-- ---- the simulator and the benchmark --------------------------------------------------

local Simulator = class()

function Simulator.new(num_aircraft)
    local aircraft = Vector.new()
    for i = 0, num_aircraft - 1 do
        aircraft:append(CallSign.new(i))
    end
    return setmetatable({aircraft = aircraft}, Simulator)
end

function Simulator:simulate(time)
    local frame = Vector.new()
    for i = 0, self.aircraft:size() - 1, 2 do
        frame:append(Aircraft.new(self.aircraft:at(i + 1),
            Vector3D.new(time, cos(time) * 2 + i * 3, 10.0)))
        frame:append(Aircraft.new(self.aircraft:at(i + 2),
            Vector3D.new(time, sin(time) * 2 + i * 3, 10.0)))
    end
    return frame
end

local function benchmark(num_aircrafts)
    local num_frames = 200
    local simulator = Simulator.new(num_aircrafts)
    local detector = CollisionDetector.new()
    local actual_collisions = 0
    for i = 0, num_frames - 1 do
        local time = i / 10.0
        local collisions = detector:handle_new_frame(simulator:simulate(time))
        actual_collisions = actual_collisions + collisions:size()
    end
    return actual_collisions
end

local function verify_result(actual_collisions, num_aircrafts)
    if num_aircrafts == 1000 then
        return actual_collisions == 14484
    elseif num_aircrafts == 500 then
        return actual_collisions == 14484
    elseif num_aircrafts == 250 then
        return actual_collisions == 10830
    elseif num_aircrafts == 100 then
        return actual_collisions == 4305
    elseif num_aircrafts == 10 then
        return actual_collisions == 390
    end
    return false
end

local function run()
    local result = benchmark(INNER_ITERATIONS)
    if not verify_result(result, INNER_ITERATIONS) then
        twin.result('failed verification, got', result)
        return
    end
    twin.result(result)
end

twin.main(run)
