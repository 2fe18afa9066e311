package matching

// ReferenceMaximum is the size of a maximum matching found the plain way,
// written apart from Maximum to check it: Ford–Fulkerson on the unit
// network source → giver → recipient → sink, one breadth-first search for
// an augmenting path at a time over the residual graph, nothing shared
// with Maximum but the edge lists.
func ReferenceMaximum(g *Graph) int {
	n := len(g.Givers)
	// Forward lists by giver.
	byGiver := make([][]int32, n)
	for r, gs := range g.Givers {
		for _, gv := range gs {
			byGiver[gv] = append(byGiver[gv], int32(r))
		}
	}
	flowTo := make([]int32, n) // recipient -> giver sending it flow, or -1
	flowFrom := make([]int32, n)
	for i := range flowTo {
		flowTo[i], flowFrom[i] = -1, -1
	}
	parent := make([]int32, n) // recipient -> giver it was reached from in this search
	seenGiver := make([]bool, n)
	for i := range parent {
		parent[i] = -1
	}
	var touchedR, touchedG []int32
	total := 0
	for s := range n {
		if flowFrom[s] != -1 {
			continue
		}
		// Search from the free giver s: giver → recipient along an
		// edge without flow, recipient → giver back along its flow.
		for _, r := range touchedR {
			parent[r] = -1
		}
		for _, gv := range touchedG {
			seenGiver[gv] = false
		}
		touchedR, touchedG = touchedR[:0], touchedG[:0]
		seenGiver[s] = true
		touchedG = append(touchedG, int32(s))
		queue := []int32{int32(s)}
		end := int32(-1)
		for len(queue) > 0 && end < 0 {
			gv := queue[0]
			queue = queue[1:]
			for _, r := range byGiver[gv] {
				if parent[r] != -1 {
					continue
				}
				parent[r] = gv
				touchedR = append(touchedR, r)
				back := flowTo[r]
				if back == -1 {
					end = r
					break
				}
				if !seenGiver[back] {
					seenGiver[back] = true
					touchedG = append(touchedG, back)
					queue = append(queue, back)
				}
			}
		}
		if end < 0 {
			continue
		}
		for r := end; r != -1; {
			gv := parent[r]
			prev := flowFrom[gv]
			flowTo[r], flowFrom[gv] = gv, r
			r = prev
		}
		total++
	}
	return total
}
