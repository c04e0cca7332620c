-- Are We Fast Yet: Havlak, the Lua twin of havlak.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016), after Robert Hundt's loop recognition benchmark (Google, 2011) of
-- Havlak's algorithm (TOPLAS 1997). Sizes, FIND_LOOP_ITERATIONS included, as in
-- havlak.ruff. As in the suite's Lua port, block names and DFS numbers start at 1 (the
-- graph and the counts are the same). Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local class = require('awfy_som').class
local som = require('awfy_som')
local Vector, Set, IdentitySet, IdentityDictionary =
    som.Vector, som.Set, som.IdentitySet, som.IdentityDictionary

local INNER_ITERATIONS = 1
local FIND_LOOP_ITERATIONS = 0

local UNVISITED = 2147483647 -- Marker for uninitialized nodes.
local MAXNONBACKPREDS = 32 * 1024 -- Safeguard against pathological algorithm behavior.

-- Basic block classes (the reference's BasicBlockClass enum).
local BB_TOP = 0
local BB_NONHEADER = 1
local BB_REDUCIBLE = 2
local BB_SELF = 3
local BB_IRREDUCIBLE = 4
local BB_DEAD = 5

-- ---- the control-flow graph -----------------------------------------------------------

local BasicBlock = class()

function BasicBlock.new(name)
    return setmetatable({name = name, in_edges = Vector.new(2), out_edges = Vector.new(2)},
        BasicBlock)
end

function BasicBlock:num_pred()
    return self.in_edges:size()
end

function BasicBlock:add_out_edge(to)
    self.out_edges:append(to)
end

function BasicBlock:add_in_edge(from)
    self.in_edges:append(from)
end

function BasicBlock:custom_hash()
    return self.name
end

local BasicBlockEdge = class()

function BasicBlockEdge.new(cfg, from_name, to_name)
    local from = cfg:create_node(from_name)
    local to = cfg:create_node(to_name)
    from:add_out_edge(to)
    to:add_in_edge(from)
    local edge = setmetatable({from = from, to = to}, BasicBlockEdge)
    cfg:add_edge(edge)
    return edge
end

local ControlFlowGraph = class()

function ControlFlowGraph.new()
    return setmetatable({start_node = nil, basic_block_map = Vector.new(),
        edge_list = Vector.new()}, ControlFlowGraph)
end

function ControlFlowGraph:create_node(name)
    local node = self.basic_block_map:at(name)
    if node == nil then
        node = BasicBlock.new(name)
        self.basic_block_map:at_put(name, node)
    end
    if self:num_nodes() == 1 then
        self.start_node = node
    end
    return node
end

function ControlFlowGraph:add_edge(edge)
    self.edge_list:append(edge)
end

function ControlFlowGraph:num_nodes()
    return self.basic_block_map:size()
end

-- ---- the loop structure graph ---------------------------------------------------------

local SimpleLoop = class()

function SimpleLoop.new(bb, is_reducible)
    local loop = setmetatable({basic_blocks = IdentitySet.new(), children = IdentitySet.new(),
        parent = nil, header = bb, is_root = false, is_reducible = is_reducible, counter = 0,
        nesting_level = 0, depth_level = 0}, SimpleLoop)
    if bb ~= nil then
        loop.basic_blocks:add(bb)
    end
    return loop
end

function SimpleLoop:add_node(bb)
    self.basic_blocks:add(bb)
end

function SimpleLoop:add_child_loop(loop)
    self.children:add(loop)
end

function SimpleLoop:set_parent(parent)
    self.parent = parent
    self.parent:add_child_loop(self)
end

function SimpleLoop:set_is_root()
    self.is_root = true
end

function SimpleLoop:set_nesting_level(level)
    self.nesting_level = level
    if level == 0 then
        self:set_is_root()
    end
end

local LoopStructureGraph = class()

function LoopStructureGraph.new()
    local lsg = setmetatable({loop_counter = 0, loops = Vector.new(),
        root = SimpleLoop.new(nil, true)}, LoopStructureGraph)
    lsg.root:set_nesting_level(0)
    lsg.root.counter = lsg.loop_counter
    lsg.loop_counter = lsg.loop_counter + 1
    lsg.loops:append(lsg.root)
    return lsg
end

function LoopStructureGraph:create_new_loop(bb, is_reducible)
    local loop = SimpleLoop.new(bb, is_reducible)
    loop.counter = self.loop_counter
    self.loop_counter = self.loop_counter + 1
    self.loops:append(loop)
    return loop
end

function LoopStructureGraph:calculate_nesting_level()
    -- link up all 1st level loops to artificial root node.
    self.loops:for_each(function (liter)
        if not liter.is_root and liter.parent == nil then
            liter:set_parent(self.root)
        end
    end)
    -- recursively traverse the tree and assign levels.
    self:calculate_nesting_level_rec(self.root, 0)
end

function LoopStructureGraph:calculate_nesting_level_rec(loop, depth)
    loop.depth_level = depth
    loop.children:for_each(function (liter)
        self:calculate_nesting_level_rec(liter, depth + 1)
        loop:set_nesting_level(math.max(loop.nesting_level, 1 + liter.nesting_level))
    end)
end

function LoopStructureGraph:num_loops()
    return self.loops:size()
end

-- ---- union/find -----------------------------------------------------------------------

local UnionFindNode = class()

function UnionFindNode.new()
    return setmetatable({parent = nil, bb = nil, loop = nil, dfs_number = 0}, UnionFindNode)
end

function UnionFindNode:init_node(bb, dfs_number)
    self.parent = self
    self.bb = bb
    self.dfs_number = dfs_number
    self.loop = nil
end

-- The find routine, with path compression.
function UnionFindNode:find_set()
    local node_list = Vector.new()
    local node = self
    while node ~= node.parent do
        if node.parent ~= node.parent.parent then
            node_list:append(node)
        end
        node = node.parent
    end
    -- Path compression: all nodes' parents point to the first-level parent.
    node_list:for_each(function (it)
        it:union(self.parent)
    end)
    return node
end

function UnionFindNode:union(basic_block)
    self.parent = basic_block
end

-- ---- Havlak's loop finder -------------------------------------------------------------

local HavlakLoopFinder = class()

function HavlakLoopFinder.new(cfg, lsg)
    return setmetatable({cfg = cfg, lsg = lsg, non_back_preds = Vector.new(),
        back_preds = Vector.new(), number = IdentityDictionary.new(), max_size = 0,
        header = nil, type = nil, last = nil, nodes = nil}, HavlakLoopFinder)
end

-- Whether w is a "true" ancestor of v in the depth-first spanning tree.
function HavlakLoopFinder:is_ancestor(w, v)
    return w <= v and v <= self.last[w]
end

-- Depth-first traversal along out edges, numbering the nodes.
function HavlakLoopFinder:do_dfs(current_node, current)
    self.nodes[current]:init_node(current_node, current)
    self.number:at_put(current_node, current)
    local last_id = current
    local outer_blocks = current_node.out_edges
    for i = 1, outer_blocks:size() do
        local target = outer_blocks:at(i)
        if self.number:at(target) == UNVISITED then
            last_id = self:do_dfs(target, last_id + 1)
        end
    end
    self.last[current] = last_id
    return last_id
end

-- Step a: all nodes unvisited, then depth-first numbering.
function HavlakLoopFinder:init_all_nodes()
    self.cfg.basic_block_map:for_each(function (bb)
        self.number:at_put(bb, UNVISITED)
    end)
    self:do_dfs(self.cfg.start_node, 1)
end

-- Step b: sort incoming edges into back edges and non-back edges.
function HavlakLoopFinder:identify_edges(size)
    for w = 1, size do
        self.header[w] = 1
        self.type[w] = BB_NONHEADER
        local node_w = self.nodes[w].bb
        if node_w == nil then
            self.type[w] = BB_DEAD
        else
            self:process_edges(node_w, w)
        end
    end
end

function HavlakLoopFinder:process_edges(node_w, w)
    if node_w:num_pred() > 0 then
        node_w.in_edges:for_each(function (node_v)
            local v = self.number:at(node_v)
            if v ~= UNVISITED then
                if self:is_ancestor(w, v) then
                    self.back_preds:at(w):append(v)
                else
                    self.non_back_preds:at(w):add(v)
                end
            end
        end)
    end
end

-- Finds the loops and builds the loop forest with Havlak's algorithm.
function HavlakLoopFinder:find_loops()
    if self.cfg.start_node == nil then
        return
    end
    local size = self.cfg:num_nodes()
    self.non_back_preds:remove_all()
    self.back_preds:remove_all()
    self.number:remove_all()
    if size > self.max_size then
        self.header = {}
        self.type = {}
        self.last = {}
        self.nodes = {}
        for i = 1, size do
            self.header[i] = 0
            self.type[i] = BB_TOP
            self.last[i] = 0
        end
        self.max_size = size
    end
    for i = 1, size do
        self.non_back_preds:append(Set.new())
        self.back_preds:append(Vector.new())
        self.nodes[i] = UnionFindNode.new()
    end
    self:init_all_nodes()
    self:identify_edges(size)

    -- Start node is root of all other loops.
    self.header[1] = 1

    -- Step c: for each header w, in reverse DFS pre-order, collect the loop body P.
    for w = size, 1, -1 do
        local node_pool = Vector.new()
        local node_w = self.nodes[w].bb
        if node_w ~= nil then
            self:step_d(w, node_pool)
            -- Copy node_pool to work_list.
            local work_list = Vector.new()
            node_pool:for_each(function (niter)
                work_list:append(niter)
            end)
            if node_pool:size() ~= 0 then
                self.type[w] = BB_REDUCIBLE
            end
            -- work the list...
            while not work_list:is_empty() do
                local x = work_list:remove_first()
                -- Step e; give up if the algorithm degenerates.
                local non_back_size = self.non_back_preds:at(x.dfs_number):size()
                if non_back_size > MAXNONBACKPREDS then
                    return
                end
                self:step_e_process_non_back_preds(w, node_pool, work_list, x)
            end
            -- Collapse the nodes of each strongly connected component into one node.
            if node_pool:size() > 0 or self.type[w] == BB_SELF then
                local loop = self.lsg:create_new_loop(node_w, self.type[w] ~= BB_IRREDUCIBLE)
                self:set_loop_attributes(w, node_pool, loop)
            end
        end
    end
end

function HavlakLoopFinder:step_e_process_non_back_preds(w, node_pool, work_list, x)
    self.non_back_preds:at(x.dfs_number):for_each(function (it)
        local y = self.nodes[it]
        local ydash = y:find_set()
        if not self:is_ancestor(w, ydash.dfs_number) then
            self.type[w] = BB_IRREDUCIBLE
            self.non_back_preds:at(w):add(ydash.dfs_number)
        elseif ydash.dfs_number ~= w then
            if not node_pool:has_some(function (e) return e == ydash end) then
                work_list:append(ydash)
                node_pool:append(ydash)
            end
        end
    end)
end

function HavlakLoopFinder:set_loop_attributes(w, node_pool, loop)
    self.nodes[w].loop = loop
    node_pool:for_each(function (node)
        -- Add nodes to loop descriptor.
        self.header[node.dfs_number] = w
        node:union(self.nodes[w])
        -- Nested loops are not added, but linked together.
        if node.loop ~= nil then
            node.loop:set_parent(loop)
        else
            loop:add_node(node.bb)
        end
    end)
end

-- Step d: the sources of w's back edges (or w itself marks a self loop).
function HavlakLoopFinder:step_d(w, node_pool)
    self.back_preds:at(w):for_each(function (v)
        if v ~= w then
            node_pool:append(self.nodes[v]:find_set())
        else
            self.type[w] = BB_SELF
        end
    end)
end

-- ---- the test application -------------------------------------------------------------

local LoopTesterApp = class()

function LoopTesterApp.new()
    local app = setmetatable({cfg = ControlFlowGraph.new(), lsg = LoopStructureGraph.new()},
        LoopTesterApp)
    app.cfg:create_node(1)
    return app
end

-- 4 blocks forming an if/then/else diamond.
function LoopTesterApp:build_diamond(start)
    local bb0 = start
    BasicBlockEdge.new(self.cfg, bb0, bb0 + 1)
    BasicBlockEdge.new(self.cfg, bb0, bb0 + 2)
    BasicBlockEdge.new(self.cfg, bb0 + 1, bb0 + 3)
    BasicBlockEdge.new(self.cfg, bb0 + 2, bb0 + 3)
    return bb0 + 3
end

function LoopTesterApp:build_connect(start, finish)
    BasicBlockEdge.new(self.cfg, start, finish)
end

-- A straight sequence of n blocks.
function LoopTesterApp:build_straight(start, n)
    for i = 0, n - 1 do
        self:build_connect(start + i, start + i + 1)
    end
    return start + n
end

-- A simple loop with two diamonds in it.
function LoopTesterApp:build_base_loop(from)
    local header = self:build_straight(from, 1)
    local diamond1 = self:build_diamond(header)
    local d11 = self:build_straight(diamond1, 1)
    local diamond2 = self:build_diamond(d11)
    local footer = self:build_straight(diamond2, 1)
    self:build_connect(diamond2, d11)
    self:build_connect(diamond1, header)
    self:build_connect(footer, from)
    footer = self:build_straight(footer, 1)
    return footer
end

function LoopTesterApp:main(num_dummy_loops, find_loop_iterations, par_loops, ppar_loops,
                            pppar_loops)
    self:construct_simple_cfg()
    self:add_dummy_loops(num_dummy_loops)
    self:construct_cfg(par_loops, ppar_loops, pppar_loops)
    -- Loop recognition: once into the app's graph, then find_loop_iterations more times.
    self:find_loops(self.lsg)
    for _ = 1, find_loop_iterations do
        self:find_loops(LoopStructureGraph.new())
    end
    self.lsg:calculate_nesting_level()
    return self.lsg:num_loops(), self.cfg:num_nodes()
end

function LoopTesterApp:construct_cfg(par_loops, ppar_loops, pppar_loops)
    local n = 3
    for _ = 1, par_loops do
        self.cfg:create_node(n + 1)
        self:build_connect(3, n + 1)
        n = n + 1
        for _ = 1, ppar_loops do
            local top = n
            n = self:build_straight(n, 1)
            for _ = 1, pppar_loops do
                n = self:build_base_loop(n)
            end
            local bottom = self:build_straight(n, 1)
            self:build_connect(n, top)
            n = bottom
        end
        self:build_connect(n, 1)
    end
end

function LoopTesterApp:add_dummy_loops(num_dummy_loops)
    for _ = 1, num_dummy_loops do
        self:find_loops(self.lsg)
    end
end

function LoopTesterApp:find_loops(loop_structure)
    local finder = HavlakLoopFinder.new(self.cfg, loop_structure)
    finder:find_loops()
end

function LoopTesterApp:construct_simple_cfg()
    self.cfg:create_node(1)
    self:build_base_loop(1)
    self.cfg:create_node(2)
    BasicBlockEdge.new(self.cfg, 1, 3)
end

-- ---- the benchmark --------------------------------------------------------------------

local function verify_result(loops, blocks, inner_iterations)
    if inner_iterations == 15000 then
        return loops == 46602 and blocks == 5213
    elseif inner_iterations == 1500 then
        return loops == 6102 and blocks == 5213
    elseif inner_iterations == 150 then
        return loops == 2052 and blocks == 5213
    elseif inner_iterations == 15 then
        return loops == 1647 and blocks == 5213
    elseif inner_iterations == 1 then
        return loops == 1605 and blocks == 5213
    end
    return false
end

local function run()
    local loops, blocks = LoopTesterApp.new():main(INNER_ITERATIONS, FIND_LOOP_ITERATIONS, 10,
        10, 5)
    if not verify_result(loops, blocks, INNER_ITERATIONS) then
        twin.result('failed verification, got', loops, blocks)
        return
    end
    twin.result(loops, blocks)
end

twin.main(run)
