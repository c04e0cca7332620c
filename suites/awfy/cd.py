"""Are We Fast Yet: CD, the Python twin of cd.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016), after the collision detector of CD_x (Kalibera et al., JTRES 2009).
Unlike the Ruff port, it calls the C library's sin and cos (math.sin, math.cos).
Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from math import copysign, cos, sin, sqrt

from awfy_som import Vector
from twin_protocol import main, result

INNER_ITERATIONS = 10

MIN_X = 0.0
MIN_Y = 0.0
MAX_X = 1000.0
MAX_Y = 1000.0
MIN_Z = 0.0
MAX_Z = 10.0
PROXIMITY_RADIUS = 1.0
GOOD_VOXEL_SIZE = PROXIMITY_RADIUS * 2.0

RED = 0
BLACK = 1


def compare_numbers(a, b):
    """Orders numbers, with NaN below everything else (as the reference's compareNumbers)."""
    if a == b:
        return 0
    if a < b:
        return -1
    if a > b:
        return 1
    if a == a:
        return 1
    return -1


class Vector2D:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def plus(self, other):
        return Vector2D(self.x + other.x, self.y + other.y)

    def minus(self, other):
        return Vector2D(self.x - other.x, self.y - other.y)

    def compare_to(self, other):
        value = compare_numbers(self.x, other.x)
        if value != 0:
            return value
        return compare_numbers(self.y, other.y)


class Vector3D:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def plus(self, other):
        return Vector3D(self.x + other.x, self.y + other.y, self.z + other.z)

    def minus(self, other):
        return Vector3D(self.x - other.x, self.y - other.y, self.z - other.z)

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def squared_magnitude(self):
        return self.dot(self)

    def magnitude(self):
        return sqrt(self.squared_magnitude())

    def times(self, amount):
        return Vector3D(self.x * amount, self.y * amount, self.z * amount)


def tree_minimum(x):
    while x.left is not None:
        x = x.left
    return x


class RbtNode:
    def __init__(self, key, value):
        self.key = key
        self.value = value
        self.left = None
        self.right = None
        self.parent = None
        self.color = RED

    def successor(self):
        x = self
        if x.right is not None:
            return tree_minimum(x.right)
        y = x.parent
        while y is not None and x is y.right:
            x = y
            y = y.parent
        return y


class RbtEntry:
    def __init__(self, key, value):
        self.key = key
        self.value = value


class InsertResult:
    def __init__(self, is_new_entry, new_node, old_value):
        self.is_new_entry = is_new_entry
        self.new_node = new_node
        self.old_value = old_value


class RedBlackTree:
    def __init__(self):
        self.root = None

    def put(self, key, value):
        """Inserts or updates; answers the old value (None for a new key)."""
        insertion_result = self.tree_insert(key, value)
        if not insertion_result.is_new_entry:
            return insertion_result.old_value
        x = insertion_result.new_node
        while x is not self.root and x.parent.color == RED:
            if x.parent is x.parent.parent.left:
                y = x.parent.parent.right
                if y is not None and y.color == RED:
                    # Case 1
                    x.parent.color = BLACK
                    y.color = BLACK
                    x.parent.parent.color = RED
                    x = x.parent.parent
                else:
                    if x is x.parent.right:
                        # Case 2
                        x = x.parent
                        self.left_rotate(x)
                    # Case 3
                    x.parent.color = BLACK
                    x.parent.parent.color = RED
                    self.right_rotate(x.parent.parent)
            else:
                # Same as the then-branch with "right" and "left" exchanged.
                y = x.parent.parent.left
                if y is not None and y.color == RED:
                    # Case 1
                    x.parent.color = BLACK
                    y.color = BLACK
                    x.parent.parent.color = RED
                    x = x.parent.parent
                else:
                    if x is x.parent.left:
                        # Case 2
                        x = x.parent
                        self.right_rotate(x)
                    # Case 3
                    x.parent.color = BLACK
                    x.parent.parent.color = RED
                    self.left_rotate(x.parent.parent)
        self.root.color = BLACK
        return None

    def remove(self, key):
        z = self.find_node(key)
        if z is None:
            return None
        # y is the node to be unlinked from the tree.
        if z.left is None or z.right is None:
            y = z
        else:
            y = z.successor()
        # y is not None here; x is the child of y that may replace it (x may be None).
        x = y.left if y.left is not None else y.right
        if x is not None:
            x.parent = y.parent
            x_parent = x.parent
        else:
            x_parent = y.parent
        if y.parent is None:
            self.root = x
        elif y is y.parent.left:
            y.parent.left = x
        else:
            y.parent.right = x
        if y is not z:
            if y.color == BLACK:
                self.remove_fixup(x, x_parent)
            y.parent = z.parent
            y.color = z.color
            y.left = z.left
            y.right = z.right
            if z.left is not None:
                z.left.parent = y
            if z.right is not None:
                z.right.parent = y
            if z.parent is not None:
                if z.parent.left is z:
                    z.parent.left = y
                else:
                    z.parent.right = y
            else:
                self.root = y
        elif y.color == BLACK:
            self.remove_fixup(x, x_parent)
        return z.value

    def get(self, key):
        node = self.find_node(key)
        if node is None:
            return None
        return node.value

    def for_each(self, fn):
        if self.root is None:
            return
        current = tree_minimum(self.root)
        while current is not None:
            fn(RbtEntry(current.key, current.value))
            current = current.successor()

    def find_node(self, key):
        current = self.root
        while current is not None:
            comparison_result = key.compare_to(current.key)
            if comparison_result == 0:
                return current
            if comparison_result < 0:
                current = current.left
            else:
                current = current.right
        return None

    def tree_insert(self, key, value):
        y = None
        x = self.root
        while x is not None:
            y = x
            comparison_result = key.compare_to(x.key)
            if comparison_result < 0:
                x = x.left
            elif comparison_result > 0:
                x = x.right
            else:
                old_value = x.value
                x.value = value
                return InsertResult(False, None, old_value)
        z = RbtNode(key, value)
        z.parent = y
        if y is None:
            self.root = z
        elif key.compare_to(y.key) < 0:
            y.left = z
        else:
            y.right = z
        return InsertResult(True, z, None)

    def left_rotate(self, x):
        y = x.right
        # Turn y's left subtree into x's right subtree.
        x.right = y.left
        if y.left is not None:
            y.left.parent = x
        # Link x's parent to y.
        y.parent = x.parent
        if x.parent is None:
            self.root = y
        elif x is x.parent.left:
            x.parent.left = y
        else:
            x.parent.right = y
        # Put x on y's left.
        y.left = x
        x.parent = y
        return y

    def right_rotate(self, y):
        x = y.left
        # Turn x's right subtree into y's left subtree.
        y.left = x.right
        if x.right is not None:
            x.right.parent = y
        # Link y's parent to x.
        x.parent = y.parent
        if y.parent is None:
            self.root = x
        elif y is y.parent.left:
            y.parent.left = x
        else:
            y.parent.right = x
        x.right = y
        y.parent = x
        return x

    def remove_fixup(self, x, x_parent):
        while x is not self.root and (x is None or x.color == BLACK):
            if x is x_parent.left:
                # w cannot be None here, by the properties of the red-black tree.
                w = x_parent.right
                if w.color == RED:
                    # Case 1
                    w.color = BLACK
                    x_parent.color = RED
                    self.left_rotate(x_parent)
                    w = x_parent.right
                if ((w.left is None or w.left.color == BLACK) and
                        (w.right is None or w.right.color == BLACK)):
                    # Case 2
                    w.color = RED
                    x = x_parent
                    x_parent = x.parent
                else:
                    if w.right is None or w.right.color == BLACK:
                        # Case 3
                        w.left.color = BLACK
                        w.color = RED
                        self.right_rotate(w)
                        w = x_parent.right
                    # Case 4
                    w.color = x_parent.color
                    x_parent.color = BLACK
                    if w.right is not None:
                        w.right.color = BLACK
                    self.left_rotate(x_parent)
                    x = self.root
                    x_parent = x.parent
            else:
                # Same as the then-branch with "right" and "left" exchanged.
                w = x_parent.left
                if w.color == RED:
                    # Case 1
                    w.color = BLACK
                    x_parent.color = RED
                    self.right_rotate(x_parent)
                    w = x_parent.left
                if ((w.right is None or w.right.color == BLACK) and
                        (w.left is None or w.left.color == BLACK)):
                    # Case 2
                    w.color = RED
                    x = x_parent
                    x_parent = x.parent
                else:
                    if w.left is None or w.left.color == BLACK:
                        # Case 3
                        w.right.color = BLACK
                        w.color = RED
                        self.left_rotate(w)
                        w = x_parent.left
                    # Case 4
                    w.color = x_parent.color
                    x_parent.color = BLACK
                    if w.left is not None:
                        w.left.color = BLACK
                    self.right_rotate(x_parent)
                    x = self.root
                    x_parent = x.parent
        if x is not None:
            x.color = BLACK


class CallSign:
    def __init__(self, value):
        self.value = value

    def compare_to(self, other):
        if self.value == other.value:
            return 0
        return -1 if self.value < other.value else 1


class Collision:
    def __init__(self, aircraft_a, aircraft_b, position):
        self.aircraft_a = aircraft_a
        self.aircraft_b = aircraft_b
        self.position = position


class Aircraft:
    def __init__(self, callsign, position):
        self.callsign = callsign
        self.position = position


class Motion:
    def __init__(self, callsign, pos_one, pos_two):
        self.callsign = callsign
        self.pos_one = pos_one
        self.pos_two = pos_two

    def delta(self):
        return self.pos_two.minus(self.pos_one)

    def find_intersection(self, other):
        """The point where the two aircraft come within PROXIMITY_RADIUS during the frame
        (both moving at constant speed along their segments), or None."""
        init1 = self.pos_one
        init2 = other.pos_one
        vec1 = self.delta()
        vec2 = other.delta()
        radius = PROXIMITY_RADIUS
        # a = (V2 - V1)^T * (V2 - V1)
        a = vec2.minus(vec1).squared_magnitude()
        if a != 0.0:
            # Solve 0 = c + b*v + a*v^2 for the times v when the distance is exactly r:
            # b = 2 * <I1-I2, V1-V2>, c = -r^2 + (I2 - I1)^T * (I2 - I1)
            b = 2.0 * init1.minus(init2).dot(vec1.minus(vec2))
            c = -radius * radius + init2.minus(init1).squared_magnitude()
            discr = b * b - 4.0 * a * c
            if discr < 0.0:
                return None
            v1 = (-b - sqrt(discr)) / (2.0 * a)
            v2 = (-b + sqrt(discr)) / (2.0 * a)
            if v1 <= v2 and ((v1 <= 1.0 <= v2) or (v1 <= 0.0 <= v2) or
                             (0.0 <= v1 and v2 <= 1.0)):
                # Report the collision at the start of the frame if it began before it,
                # else at the moment it begins.
                v = 0.0 if v1 <= 0.0 else v1
                result1 = init1.plus(vec1.times(v))
                result2 = init2.plus(vec2.times(v))
                point = result1.plus(result2).times(0.5)
                if (MIN_X <= point.x <= MAX_X and MIN_Y <= point.y <= MAX_Y and
                        MIN_Z <= point.z <= MAX_Z):
                    return point
            return None
        # Same speed in parallel (or not moving): the distance is constant.
        dist = init2.minus(init1).magnitude()
        if dist <= radius:
            return init1.plus(init2).times(0.5)
        return None


HORIZONTAL = Vector2D(GOOD_VOXEL_SIZE, 0.0)
VERTICAL = Vector2D(0.0, GOOD_VOXEL_SIZE)


class CollisionDetector:
    def __init__(self):
        self.state = RedBlackTree()

    def handle_new_frame(self, frame):
        motions = Vector()
        seen = RedBlackTree()

        def add_motion(aircraft):
            old_position = self.state.put(aircraft.callsign, aircraft.position)
            new_position = aircraft.position
            seen.put(aircraft.callsign, True)
            if old_position is None:
                # Treat newly introduced aircraft as if they were stationary.
                old_position = new_position
            motions.append(Motion(aircraft.callsign, old_position, new_position))

        frame.for_each(add_motion)

        # Remove aircraft that are no longer present.
        to_remove = Vector()

        def collect_absent(e):
            if not seen.get(e.key):
                to_remove.append(e.key)

        self.state.for_each(collect_absent)
        to_remove.for_each(self.state.remove)

        all_reduced = reduce_collision_set(motions)
        collisions = Vector()

        def check(reduced):
            for i in range(reduced.size()):
                motion1 = reduced.at(i)
                for j in range(i + 1, reduced.size()):
                    motion2 = reduced.at(j)
                    collision = motion1.find_intersection(motion2)
                    if collision is not None:
                        collisions.append(Collision(motion1.callsign, motion2.callsign,
                                                    collision))

        all_reduced.for_each(check)
        return collisions


def is_in_voxel(voxel, motion):
    if voxel.x > MAX_X or voxel.x < MIN_X or voxel.y > MAX_Y or voxel.y < MIN_Y:
        return False
    init = motion.pos_one
    fin = motion.pos_two
    v_s = GOOD_VOXEL_SIZE
    r = PROXIMITY_RADIUS / 2.0
    v_x = voxel.x
    x0 = init.x
    xv = fin.x - init.x
    v_y = voxel.y
    y0 = init.y
    yv = fin.y - init.y

    # Java's double division: x / 0.0 is an infinity (or NaN), not an error.
    low_x = divide(v_x - r - x0, xv)
    high_x = divide(v_x + v_s + r - x0, xv)
    if xv < 0.0:
        low_x, high_x = high_x, low_x
    low_y = divide(v_y - r - y0, yv)
    high_y = divide(v_y + v_s + r - y0, yv)
    if yv < 0.0:
        low_y, high_y = high_y, low_y
    return ((((xv == 0.0 and v_x <= x0 + r and x0 - r <= v_x + v_s) or  # no motion in x
              (low_x <= 1.0 and 1.0 <= high_x) or (low_x <= 0.0 and 0.0 <= high_x) or
              (0.0 <= low_x and high_x <= 1.0)) and
             ((yv == 0.0 and v_y <= y0 + r and y0 - r <= v_y + v_s) or  # no motion in y
              ((low_y <= 1.0 and 1.0 <= high_y) or (low_y <= 0.0 and 0.0 <= high_y) or
               (0.0 <= low_y and high_y <= 1.0))) and
             (xv == 0.0 or yv == 0.0 or  # no motion in x or y or both
              (low_y <= high_x and high_x <= high_y) or
              (low_y <= low_x and low_x <= high_y) or
              (low_x <= low_y and high_y <= high_x))))


def divide(a, b):
    """IEEE division, as Java, Lua and Ruff do it (Python raises on a zero divisor)."""
    if b != 0.0:
        return a / b
    if a != a or a == 0.0:
        return float("nan")
    return float("inf") if (a > 0.0) == (copysign(1.0, b) > 0.0) else float("-inf")


def put_into_map(voxel_map, voxel, motion):
    array = voxel_map.get(voxel)
    if array is None:
        array = Vector()
        voxel_map.put(voxel, array)
    array.append(motion)


def recurse(voxel_map, seen, next_voxel, motion):
    if not is_in_voxel(next_voxel, motion):
        return
    if seen.put(next_voxel, True) is True:
        return
    put_into_map(voxel_map, next_voxel, motion)
    recurse(voxel_map, seen, next_voxel.minus(HORIZONTAL), motion)
    recurse(voxel_map, seen, next_voxel.plus(HORIZONTAL), motion)
    recurse(voxel_map, seen, next_voxel.minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel.plus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel.minus(HORIZONTAL).minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel.minus(HORIZONTAL).plus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel.plus(HORIZONTAL).minus(VERTICAL), motion)
    recurse(voxel_map, seen, next_voxel.plus(HORIZONTAL).plus(VERTICAL), motion)


def reduce_collision_set(motions):
    voxel_map = RedBlackTree()
    motions.for_each(lambda motion: draw_motion_on_voxel_map(voxel_map, motion))
    reduced = Vector()

    def collect(e):
        if e.value.size() > 1:
            reduced.append(e.value)

    voxel_map.for_each(collect)
    return reduced


def voxel_hash(position):
    x_div = int(position.x / GOOD_VOXEL_SIZE)
    y_div = int(position.y / GOOD_VOXEL_SIZE)
    x = GOOD_VOXEL_SIZE * x_div
    y = GOOD_VOXEL_SIZE * y_div
    if position.x < 0:
        x -= GOOD_VOXEL_SIZE
    if position.y < 0:
        y -= GOOD_VOXEL_SIZE
    return Vector2D(x, y)


def draw_motion_on_voxel_map(voxel_map, motion):
    seen = RedBlackTree()
    recurse(voxel_map, seen, voxel_hash(motion.pos_one), motion)


class Simulator:
    def __init__(self, num_aircraft):
        self.aircraft = Vector()
        for i in range(num_aircraft):
            self.aircraft.append(CallSign(i))

    def simulate(self, time):
        frame = Vector()
        for i in range(0, self.aircraft.size(), 2):
            frame.append(Aircraft(self.aircraft.at(i),
                                  Vector3D(time, cos(time) * 2 + i * 3, 10.0)))
            frame.append(Aircraft(self.aircraft.at(i + 1),
                                  Vector3D(time, sin(time) * 2 + i * 3, 10.0)))
        return frame


def benchmark(num_aircrafts):
    num_frames = 200
    simulator = Simulator(num_aircrafts)
    detector = CollisionDetector()
    actual_collisions = 0
    for i in range(num_frames):
        time = i / 10.0
        collisions = detector.handle_new_frame(simulator.simulate(time))
        actual_collisions += collisions.size()
    return actual_collisions


def verify_result(actual_collisions, num_aircrafts):
    if num_aircrafts == 1000:
        return actual_collisions == 14484
    if num_aircrafts == 500:
        return actual_collisions == 14484
    if num_aircrafts == 250:
        return actual_collisions == 10830
    if num_aircrafts == 100:
        return actual_collisions == 4305
    if num_aircrafts == 10:
        return actual_collisions == 390
    return False


def run():
    value = benchmark(INNER_ITERATIONS)
    if not verify_result(value, INNER_ITERATIONS):
        result("failed verification, got", value)
        return
    result(value)


main(run)
