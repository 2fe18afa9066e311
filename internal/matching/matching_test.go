package matching

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// satisfiesBrute is the rule written again from the spec, by sets: for
// each type the rule counts, the request is open, or the offer is open,
// or the offer shares enough of the request's tags.
func satisfiesBrute(offer, req Prompt, rules Rules) bool {
	for t, r := range rules {
		if r == 0 {
			continue
		}
		if (len(req.Any) > t && req.Any[t]) || (len(offer.Any) > t && offer.Any[t]) {
			continue
		}
		want := map[int32]bool{}
		for _, x := range req.Tags[t] {
			want[x] = true
		}
		shared := 0
		for x := range want {
			if slices.Contains(offer.Tags[t], x) {
				shared++
			}
		}
		need := len(want)
		if r != All && r < need {
			need = r
		}
		if shared < need {
			return false
		}
	}
	return true
}

// bruteFirstPair is the first (request, offer) in order that matches.
func bruteFirstPair(giver, recipient Signup, rules Rules) (int, int) {
	for qi, q := range recipient.Requests {
		for oi, o := range giver.Offers {
			if satisfiesBrute(o, q, rules) {
				return qi, oi
			}
		}
	}
	return -1, -1
}

func bruteGraph(ss []Signup, rules Rules) [][]int32 {
	out := make([][]int32, len(ss))
	for r := range ss {
		for g := range ss {
			if g == r {
				continue
			}
		pairs:
			for _, q := range ss[r].Requests {
				for _, o := range ss[g].Offers {
					if satisfiesBrute(o, q, rules) {
						out[r] = append(out[r], int32(g))
						break pairs
					}
				}
			}
		}
	}
	return out
}

// randomExchange makes n sign-ups over few tags so that edges are
// plentiful but not everywhere; some participants ask for what nobody
// offers (tag 999), some leave types open.
func randomExchange(rng *rand.Rand, n, types int) ([]Signup, Rules) {
	rules := make(Rules, types)
	for t := range rules {
		rules[t] = []int{0, 1, 2, All}[rng.IntN(4)]
	}
	prompt := func(impossible bool) Prompt {
		p := Prompt{Tags: make([][]int32, types), Any: make([]bool, types)}
		for t := range types {
			if rng.IntN(6) == 0 {
				p.Any[t] = true
				continue
			}
			k := rng.IntN(4)
			for range k {
				p.Tags[t] = append(p.Tags[t], int32(rng.IntN(3+t*2)))
			}
			if impossible && t == 0 {
				p.Tags[t] = append(p.Tags[t], 999)
				p.Any[t] = false
			}
		}
		return p
	}
	ss := make([]Signup, n)
	for i := range ss {
		impossible := rng.IntN(8) == 0
		for range 1 + rng.IntN(3) {
			ss[i].Requests = append(ss[i].Requests, prompt(impossible))
		}
		for range rng.IntN(4) { // some offer nothing at all
			ss[i].Offers = append(ss[i].Offers, prompt(false))
		}
	}
	return ss, rules
}

// Property: on many random exchanges, the inverted lists find exactly the
// edges that checking every pair finds, Hopcroft–Karp's matching is valid
// (edges only, nobody twice, nobody to themselves) and as large as the
// reference's maximum flow.
func TestMatchingAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 5))
	withImpossible, withAny, imperfect := 0, 0, 0
	for iter := range 1500 {
		n := 1 + rng.IntN(40)
		if iter%100 == 0 {
			n = 200 + rng.IntN(200)
		}
		ss, rules := randomExchange(rng, n, 1+rng.IntN(4))
		g := Build(ss, rules)
		want := bruteGraph(ss, rules)
		edges := 0
		for r := range ss {
			if !slices.Equal(g.Givers[r], want[r]) {
				t.Fatalf("exchange %d (rules %v): recipient %d's givers %v, checking every pair gives %v", iter, rules, r, g.Givers[r], want[r])
			}
			edges += len(want[r])
		}
		if g.Edges != edges {
			t.Fatalf("exchange %d: %d edges counted, %d listed", iter, g.Edges, edges)
		}
		res := Maximum(g, nil)
		ref := ReferenceMaximum(g)
		if res.Matched != ref {
			t.Fatalf("exchange %d: Hopcroft–Karp matched %d, the reference's maximum is %d", iter, res.Matched, ref)
		}
		count := 0
		for r, gv := range res.Giver {
			if gv < 0 {
				continue
			}
			count++
			if int(gv) == r || !slices.Contains(want[r], gv) || res.Recipient[gv] != int32(r) {
				t.Fatalf("exchange %d: %d gives to %d, which is no edge or not mirrored", iter, gv, r)
			}
			// The assignment names the recipient's first request one of
			// the giver's offers satisfies, and that offer.
			qi, oi := Pair(ss, rules, int(gv), r)
			wq, wo := bruteFirstPair(ss[gv], ss[r], rules)
			if qi != wq || oi != wo {
				t.Fatalf("exchange %d: %d gives to %d with request %d and offer %d; by hand, request %d and offer %d", iter, gv, r, qi, oi, wq, wo)
			}
		}
		// No pair where there is no edge.
		for range 5 {
			gv, r := rng.IntN(n), rng.IntN(n)
			if gv == r || slices.Contains(want[r], int32(gv)) {
				continue
			}
			if qi, oi := Pair(ss, rules, gv, r); qi >= 0 || oi >= 0 {
				t.Fatalf("exchange %d: no edge from %d to %d, yet request %d and offer %d pair", iter, gv, r, qi, oi)
			}
		}
		if count != res.Matched {
			t.Fatalf("exchange %d: %d pairs listed, %d counted", iter, count, res.Matched)
		}
		if res.Matched < n {
			imperfect++
		}
		for _, s := range ss {
			for _, q := range s.Requests {
				if slices.Contains(q.Tags[0], 999) {
					withImpossible++
				}
				if slices.Contains(q.Any, true) {
					withAny++
				}
			}
		}
	}
	if withImpossible == 0 || withAny == 0 || imperfect < 100 {
		t.Fatalf("the random exchanges are too tame: %d impossible requests, %d open ones, %d exchanges not fully matched", withImpossible, withAny, imperfect)
	}
}

// A hand-made case: a request nobody can fill and a giver whose offers
// nobody wants are left out; "any" on either side matches.
func TestMatchingSmall(t *testing.T) {
	P := func(fandom int32, chars []int32, anyChars bool) Prompt {
		return Prompt{Tags: [][]int32{{fandom}, chars}, Any: []bool{false, anyChars}}
	}
	rules := Rules{1, All}
	ss := []Signup{
		{Requests: []Prompt{P(1, []int32{10, 11}, false)}, Offers: []Prompt{P(2, nil, true)}},
		{Requests: []Prompt{P(2, []int32{20}, false)}, Offers: []Prompt{P(1, []int32{10, 11, 12}, false)}},
		{Requests: []Prompt{P(3, []int32{30}, false)}, Offers: []Prompt{P(1, []int32{10}, false)}},
	}
	g := Build(ss, rules)
	if !slices.Equal(g.Givers[0], []int32{1}) || !slices.Equal(g.Givers[1], []int32{0}) || len(g.Givers[2]) != 0 {
		t.Fatalf("edges %v", g.Givers)
	}
	res := Maximum(g, nil)
	if res.Matched != 2 || res.Giver[2] != -1 || res.Recipient[2] != -1 {
		t.Fatalf("matching %+v", res)
	}
}
