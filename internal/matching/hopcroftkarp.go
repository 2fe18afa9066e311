package matching

import "slices"

func slicesSort(xs []int32) { slices.Sort(xs) }

// Result is a matching: Giver[r] gives to recipient r, Recipient[g] is
// giver g's recipient (-1: none); Matched counts the pairs.
type Result struct {
	Giver     []int32
	Recipient []int32
	Matched   int
}

// Maximum finds a maximum matching of the graph by Hopcroft–Karp: a
// greedy start, then phases of a breadth-first search from the free
// recipients that layers the graph and depth-first searches that augment
// along vertex-disjoint shortest paths, until no augmenting path is left.
// progress, when not nil, is called after each phase with the size so far.
func Maximum(g *Graph, progress func(matched int)) Result {
	n := len(g.Givers)
	const none = -1
	giver := make([]int32, n)     // recipient -> giver
	recipient := make([]int32, n) // giver -> recipient
	for i := range n {
		giver[i], recipient[i] = none, none
	}
	matched := 0
	// Greedy: recipients with the fewest givers first take a free giver.
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return len(g.Givers[a]) - len(g.Givers[b]) })
	for _, r := range order {
		for _, gv := range g.Givers[r] {
			if recipient[gv] == none {
				recipient[gv], giver[r] = r, gv
				matched++
				break
			}
		}
	}
	const inf = int32(1 << 30)
	dist := make([]int32, n) // layer of each recipient
	queue := make([]int32, 0, n)
	next := make([]int32, n) // per recipient: the next of its givers to try
	// Iterative depth-first search: the stack holds recipients.
	stack := make([]int32, 0, 64)
	for {
		// Layer the recipients: free ones at 0; a matched giver leads
		// to its recipient one layer on.
		queue = queue[:0]
		for r := range n {
			if giver[r] == none {
				dist[r] = 0
				queue = append(queue, int32(r))
			} else {
				dist[r] = inf
			}
		}
		found := inf
		for h := 0; h < len(queue); h++ {
			r := queue[h]
			if dist[r] >= found {
				continue
			}
			for _, gv := range g.Givers[r] {
				m := recipient[gv]
				if m == none {
					if found == inf {
						found = dist[r] + 1
					}
				} else if dist[m] == inf {
					dist[m] = dist[r] + 1
					queue = append(queue, m)
				}
			}
		}
		if found == inf {
			break
		}
		for r := range n {
			next[r] = 0
		}
		for r0 := range n {
			if giver[r0] != none {
				continue
			}
			stack = append(stack[:0], int32(r0))
			for len(stack) > 0 {
				r := stack[len(stack)-1]
				advanced := false
				for next[r] < int32(len(g.Givers[r])) {
					gv := g.Givers[r][next[r]]
					next[r]++
					m := recipient[gv]
					if m == none {
						if dist[r]+1 == found {
							// Augment along the stack: each recipient
							// takes the giver it was reached through.
							for i := len(stack) - 1; i >= 0; i-- {
								rr := stack[i]
								prev := giver[rr]
								giver[rr], recipient[gv] = gv, rr
								gv = prev
							}
							matched++
							stack = stack[:0]
							advanced = true
							break
						}
					} else if dist[m] == dist[r]+1 {
						stack = append(stack, m)
						advanced = true
						break
					}
				}
				if !advanced {
					dist[r] = inf // a dead end this phase
					stack = stack[:len(stack)-1]
				}
			}
		}
		if progress != nil {
			progress(matched)
		}
	}
	return Result{Giver: giver, Recipient: recipient, Matched: matched}
}
