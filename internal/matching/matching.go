// Package matching pairs a gift exchange's givers with its recipients: the
// edges "an offer of this giver satisfies a request of that recipient under
// the rules", built through inverted lists by tag, and a maximum bipartite
// matching over them (Hopcroft–Karp). It knows nothing of users or tag
// names: the caller numbers participants 0..n-1 and interns tags.
package matching

// All as a rule: an offer must share every one of the request's tags of
// the type.
const All = -1

// Prompt is one request or offer: per tag type, the interned tags it
// names, and whether it leaves the type open ("any").
type Prompt struct {
	Tags [][]int32
	Any  []bool
}

// Signup is one participant's requests and offers.
type Signup struct {
	Requests []Prompt
	Offers   []Prompt
}

// Rules holds, per tag type, how many of a request's tags an offer must
// share: 0 ignores the type, k ≥ 1 needs k of them (or all, when the
// request names fewer), All needs every one. A request that leaves a type
// open, or names none of it, is satisfied by any offer on that type; an
// offer that leaves it open ("any") satisfies any request on it.
type Rules []int

// Satisfies reports whether the offer meets the request under the rules.
func Satisfies(offer, request *Prompt, rules Rules) bool {
	for t, r := range rules {
		if r == 0 || anyOf(request, t) || anyOf(offer, t) {
			continue
		}
		req := tagsOf(request, t)
		distinct, have := 0, 0
		off := tagsOf(offer, t)
		for i, x := range req {
			if contains(req[:i], x) {
				continue
			}
			distinct++
			if contains(off, x) {
				have++
			}
		}
		need := distinct
		if r > 0 && r < need {
			need = r
		}
		if have < need {
			return false
		}
	}
	return true
}

func anyOf(p *Prompt, t int) bool { return t < len(p.Any) && p.Any[t] }

func tagsOf(p *Prompt, t int) []int32 {
	if t < len(p.Tags) {
		return p.Tags[t]
	}
	return nil
}

func contains(xs []int32, x int32) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Graph is the exchange's edges: Givers[r] lists, ascending, the
// participants who can write for participant r (never r itself).
type Graph struct {
	Givers [][]int32
	Edges  int
}

// offerRef names one offer: its giver and its index among their offers.
type offerRef struct {
	giver int32
	index int32
}

// index is the inverted lists over every offer. byTag[t][x] lists the
// offers naming tag x of type t; anyOf[t] those leaving t open, split
// by the offer's primary tags (anyBy) so that a request in a small
// fandom does not scan every "any character" offer of the exchange.
type index struct {
	primary int
	byTag   []map[int32][]offerRef
	any     [][]offerRef           // per type: offers open on it (all of them)
	anyBy   []map[int32][]offerRef // per type: offers open on it, by primary tag
	anyBoth [][]offerRef           // per type: offers open on it and on the primary
}

func buildIndex(signups []Signup, rules Rules) *index {
	ix := &index{primary: -1}
	for t, r := range rules {
		if r != 0 {
			ix.primary = t
			break
		}
	}
	T := len(rules)
	ix.byTag = make([]map[int32][]offerRef, T)
	ix.anyBy = make([]map[int32][]offerRef, T)
	ix.any = make([][]offerRef, T)
	ix.anyBoth = make([][]offerRef, T)
	for t := range T {
		ix.byTag[t] = map[int32][]offerRef{}
		ix.anyBy[t] = map[int32][]offerRef{}
	}
	for g := range signups {
		for i := range signups[g].Offers {
			o := &signups[g].Offers[i]
			ref := offerRef{int32(g), int32(i)}
			for t := range T {
				if rules[t] == 0 {
					continue
				}
				if anyOf(o, t) {
					ix.any[t] = append(ix.any[t], ref)
					if ix.primary >= 0 && t != ix.primary {
						if anyOf(o, ix.primary) {
							ix.anyBoth[t] = append(ix.anyBoth[t], ref)
						} else {
							for _, p := range dedup(tagsOf(o, ix.primary)) {
								ix.anyBy[t][p] = append(ix.anyBy[t][p], ref)
							}
						}
					}
					continue
				}
				for _, x := range dedup(tagsOf(o, t)) {
					ix.byTag[t][x] = append(ix.byTag[t][x], ref)
				}
			}
		}
	}
	return ix
}

func dedup(xs []int32) []int32 {
	for i := 1; i < len(xs); i++ {
		if contains(xs[:i], xs[i]) {
			out := append([]int32(nil), xs[:i]...)
			for _, x := range xs[i:] {
				if !contains(out, x) {
					out = append(out, x)
				}
			}
			return out
		}
	}
	return xs
}

// candidates returns lists whose union holds every offer that may satisfy
// the request (a superset: each is checked with Satisfies), chosen as the
// shortest of the ways the index can answer; nil, false when no type
// narrows it (every offer is a candidate).
func (ix *index) candidates(req *Prompt, rules Rules) ([][]offerRef, bool) {
	var best [][]offerRef
	bestLen := -1
	consider := func(lists [][]offerRef) {
		n := 0
		for _, l := range lists {
			n += len(l)
		}
		if bestLen < 0 || n < bestLen {
			best, bestLen = lists, n
		}
	}
	narrows := func(t int) bool {
		return rules[t] != 0 && !anyOf(req, t) && len(tagsOf(req, t)) > 0
	}
	P := ix.primary
	primaryNarrows := P >= 0 && narrows(P)
	if primaryNarrows {
		lists := [][]offerRef{ix.any[P]}
		for _, p := range dedup(tagsOf(req, P)) {
			lists = append(lists, ix.byTag[P][p])
		}
		consider(lists)
	}
	for t := range rules {
		if t == P || !narrows(t) {
			continue
		}
		var lists [][]offerRef
		tags := dedup(tagsOf(req, t))
		if rules[t] == All || rules[t] >= len(tags) {
			// Every satisfying offer names each of the request's tags:
			// the rarest one's list will do.
			shortest := tags[0]
			for _, x := range tags[1:] {
				if len(ix.byTag[t][x]) < len(ix.byTag[t][shortest]) {
					shortest = x
				}
			}
			lists = append(lists, ix.byTag[t][shortest])
		} else {
			for _, x := range tags {
				lists = append(lists, ix.byTag[t][x])
			}
		}
		// Offers open on t: when the primary type narrows too, only
		// those in the request's primary tags (or open on both) can
		// satisfy it.
		if primaryNarrows {
			lists = append(lists, ix.anyBoth[t])
			for _, p := range dedup(tagsOf(req, P)) {
				lists = append(lists, ix.anyBy[t][p])
			}
		} else {
			lists = append(lists, ix.any[t])
		}
		consider(lists)
	}
	return best, bestLen >= 0
}

// Build makes the graph: for every request, its candidate offers from the
// inverted lists, each checked against the rules.
func Build(signups []Signup, rules Rules) *Graph {
	n := len(signups)
	ix := buildIndex(signups, rules)
	g := &Graph{Givers: make([][]int32, n)}
	stamp := make([]int32, n) // stamp[giver] = recipient+1 once an edge is added
	for r := range signups {
		var out []int32
		mark := int32(r + 1)
		stamp[r] = mark // nobody gives to themselves
		for qi := range signups[r].Requests {
			req := &signups[r].Requests[qi]
			lists, ok := ix.candidates(req, rules)
			if !ok {
				for giver := range signups {
					if stamp[giver] == mark {
						continue
					}
					for oi := range signups[giver].Offers {
						if Satisfies(&signups[giver].Offers[oi], req, rules) {
							stamp[giver] = mark
							out = append(out, int32(giver))
							break
						}
					}
				}
				continue
			}
			for _, l := range lists {
				for _, ref := range l {
					if stamp[ref.giver] == mark {
						continue
					}
					if Satisfies(&signups[ref.giver].Offers[ref.index], req, rules) {
						stamp[ref.giver] = mark
						out = append(out, ref.giver)
					}
				}
			}
		}
		sortInt32(out)
		g.Givers[r] = out
		g.Edges += len(out)
	}
	return g
}

func sortInt32(xs []int32) {
	// Insertion sort for the short lists most recipients have; the
	// standard sort beyond.
	if len(xs) < 32 {
		for i := 1; i < len(xs); i++ {
			for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		return
	}
	slicesSort(xs)
}

// Pair finds the first of recipient's requests, in order, that one of
// giver's offers satisfies, and the first such offer: the prompts an
// assignment names (-1, -1: none). An edge of the graph is exactly a
// pair existing, as AO3 matches sign-ups whose prompts match one to one
// (its default of one matching request pair per sign-up).
func Pair(signups []Signup, rules Rules, giver, recipient int) (request, offer int) {
	for qi := range signups[recipient].Requests {
		for oi := range signups[giver].Offers {
			if Satisfies(&signups[giver].Offers[oi], &signups[recipient].Requests[qi], rules) {
				return qi, oi
			}
		}
	}
	return -1, -1
}
