package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"syscall"
	"time"

	"quire/internal/matching"
)

// MatchingOptions shapes `quire bench matching`.
type MatchingOptions struct {
	Signups int
	Seed    uint64
	// Reference also runs the plain augmenting-path maximum to check
	// Hopcroft–Karp's size (slower; on by default in the command).
	Reference bool
	Progress  io.Writer
}

// MatchingReport is what the matching benchmark measured.
type MatchingReport struct {
	Signups          int     `json:"signups"`
	Fandoms          int     `json:"fandoms"`
	Requests         int     `json:"requests"`
	Offers           int     `json:"offers"`
	Edges            int     `json:"edges"`
	Matched          int     `json:"matched"`
	NoGiverPossible  int     `json:"no_giver_possible"`
	NoRecipient      int     `json:"no_recipient_possible"`
	ReferenceMaximum int     `json:"reference_maximum"`
	EdgeSeconds      float64 `json:"edges_seconds"`
	MatchSeconds     float64 `json:"match_seconds"`
	Seconds          float64 `json:"seconds"`
	ReferenceSeconds float64 `json:"reference_seconds"`
	// CPUSeconds is the process's CPU time over edges and matching: on a
	// shared machine, wall seconds include waiting for a core.
	CPUSeconds float64 `json:"cpu_seconds"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

// Tag types of the generated exchange, in matching.Rules order.
const (
	benchFandom = iota
	benchCharacter
	benchTypes
)

// YuletideExchange generates a Yuletide-shaped exchange: many rare
// fandoms (about one for every two sign-ups) drawn with Zipf popularity,
// each with a few characters, themselves Zipf-popular within it; each
// participant makes 3–6 requests (one fandom, 1–3 characters) and 3–6
// offers (one fandom, its characters they would write, or "any
// character" one time in four). Rules: an offer shares the request's
// fandom and every one of its characters (AND on characters).
func YuletideExchange(n int, seed uint64) ([]matching.Signup, matching.Rules, int) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	fandoms := max(n/2, 1)
	// Zipf–Mandelbrot: P(k) ∝ (k+v)^-s; v flattens the head so the most
	// popular fandom holds well under one percent of the prompts, as a
	// rare-fandom exchange's nomination rules make it.
	zf := rand.NewZipf(rng, zipfS, zipfV, uint64(fandoms-1))
	chars := make([]int, fandoms) // characters per fandom
	charBase := make([]int32, fandoms)
	next := int32(0)
	for f := range fandoms {
		chars[f] = 3 + rng.IntN(8)
		charBase[f] = next
		next += int32(chars[f])
	}
	pickChars := func(f, k int) []int32 {
		var out []int32
		for len(out) < k && len(out) < chars[f] {
			// Within a fandom the first characters are the popular ones.
			c := charBase[f] + int32(min(int(rng.ExpFloat64()*2), chars[f]-1))
			dup := false
			for _, x := range out {
				dup = dup || x == c
			}
			if !dup {
				out = append(out, c)
			}
		}
		return out
	}
	rules := matching.Rules{benchFandom: 1, benchCharacter: matching.All}
	ss := make([]matching.Signup, n)
	for i := range ss {
		for range 3 + rng.IntN(4) {
			f := int(zf.Uint64())
			ss[i].Requests = append(ss[i].Requests, matching.Prompt{
				Tags: [][]int32{{int32(f)}, pickChars(f, 1+rng.IntN(3))},
				Any:  []bool{false, false},
			})
		}
		for range 3 + rng.IntN(4) {
			f := int(zf.Uint64())
			p := matching.Prompt{Tags: [][]int32{{int32(f)}, nil}, Any: []bool{false, false}}
			if rng.IntN(4) == 0 {
				p.Any[benchCharacter] = true
			} else {
				p.Tags[benchCharacter] = pickChars(f, 2+rng.IntN(5))
			}
			ss[i].Offers = append(ss[i].Offers, p)
		}
	}
	return ss, rules, fandoms
}

// Matching generates the exchange, builds its edges, matches it and (with
// Reference) checks the size against the reference maximum.
func Matching(opts MatchingOptions) (*MatchingReport, error) {
	if opts.Signups < 2 {
		return nil, fmt.Errorf("--signups must be at least 2")
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	fmt.Fprintf(progress, "generating %d sign-ups…\n", opts.Signups)
	ss, rules, fandoms := YuletideExchange(opts.Signups, opts.Seed)
	rep := &MatchingReport{Signups: opts.Signups, Fandoms: fandoms, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	for _, s := range ss {
		rep.Requests += len(s.Requests)
		rep.Offers += len(s.Offers)
	}
	runtime.GC()
	fmt.Fprintf(progress, "building edges through the inverted lists…\n")
	start, cpu0 := time.Now(), cpuTime()
	g := matching.Build(ss, rules)
	rep.EdgeSeconds = time.Since(start).Seconds()
	rep.Edges = g.Edges
	fmt.Fprintf(progress, "%d edges in %.2fs; matching (Hopcroft–Karp)…\n", g.Edges, rep.EdgeSeconds)
	mstart := time.Now()
	phase := 0
	res := matching.Maximum(g, func(m int) {
		phase++
		fmt.Fprintf(progress, "  phase %d: %d matched\n", phase, m)
	})
	rep.MatchSeconds = time.Since(mstart).Seconds()
	rep.Seconds = time.Since(start).Seconds()
	rep.CPUSeconds = cpuTime() - cpu0
	rep.Matched = res.Matched
	hasRecipient := make([]bool, len(ss))
	for r, gs := range g.Givers {
		if len(gs) == 0 {
			rep.NoGiverPossible++
		}
		for _, gv := range gs {
			hasRecipient[gv] = true
		}
		_ = r
	}
	for _, ok := range hasRecipient {
		if !ok {
			rep.NoRecipient++
		}
	}
	fmt.Fprintf(progress, "matched %d of %d in %.2fs\n", res.Matched, len(ss), rep.Seconds)
	if opts.Reference {
		fmt.Fprintf(progress, "reference maximum (one augmenting path at a time)…\n")
		rstart := time.Now()
		rep.ReferenceMaximum = matching.ReferenceMaximum(g)
		rep.ReferenceSeconds = time.Since(rstart).Seconds()
		if rep.ReferenceMaximum != rep.Matched {
			return rep, fmt.Errorf("Hopcroft–Karp matched %d, the reference's maximum is %d", rep.Matched, rep.ReferenceMaximum)
		}
	}
	return rep, nil
}

// Text prints the report for a person.
func (r *MatchingReport) Text(w io.Writer) {
	fmt.Fprintf(w, "sign-ups          %d (%d fandoms, %d requests, %d offers)\n", r.Signups, r.Fandoms, r.Requests, r.Offers)
	fmt.Fprintf(w, "edges             %d\n", r.Edges)
	fmt.Fprintf(w, "matched           %d (no one can write for %d; %d can write for no one)\n", r.Matched, r.NoGiverPossible, r.NoRecipient)
	if r.ReferenceSeconds > 0 || r.ReferenceMaximum > 0 {
		fmt.Fprintf(w, "reference maximum %d (%.2fs)\n", r.ReferenceMaximum, r.ReferenceSeconds)
	}
	fmt.Fprintf(w, "seconds           %.3f (edges %.3f, matching %.3f; CPU %.3f; GOMAXPROCS %d)\n", r.Seconds, r.EdgeSeconds, r.MatchSeconds, r.CPUSeconds, r.GOMAXPROCS)
}

// WriteJSON prints the report as one line of JSON.
func (r *MatchingReport) WriteJSON(w io.Writer) error { return json.NewEncoder(w).Encode(r) }

var zipfS, zipfV = 1.01, 1000.0

// cpuTime is the process's user and system CPU seconds so far.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
