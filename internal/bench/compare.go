package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"quire/internal/listing"
)

// answer is what both engines must agree on: the exact total and the ids
// of the page, in order. Err is an engine's refusal (an unknown tag).
type answer struct {
	Total int
	IDs   []int64
	Err   string
}

func (a answer) equal(b answer) bool {
	return a.Total == b.Total && a.Err == b.Err && slices.Equal(a.IDs, b.IDs)
}

func (a answer) String() string {
	if a.Err != "" {
		return "error: " + a.Err
	}
	return fmt.Sprintf("total %d, page %v", a.Total, a.IDs)
}

// Disagreement is one query the engines answered differently.
type Disagreement struct {
	Query         string
	Index, SQLite answer
}

func (d Disagreement) String() string {
	return fmt.Sprintf("disagreement on %s\n  index:  %s\n  sqlite: %s", d.Query, d.Index, d.SQLite)
}

// engine answers a query; facets is how long facets took when timed apart.
type engine func(ctx context.Context, q query) (a answer, facets time.Duration, err error)

// indexEngine runs queries through the listing index.
func indexEngine(ix *listing.Index) engine {
	fi, split := any(ix).(facetIndex)
	return func(_ context.Context, q query) (answer, time.Duration, error) {
		lq, v := q.listing()
		lq.SkipFacets = split // facets are timed on their own below
		res, err := ix.Search(lq, v)
		if err != nil {
			return answer{Err: err.Error()}, 0, nil
		}
		a := answer{Total: res.Total, IDs: res.IDs}
		if !split {
			return a, 0, nil
		}
		lq, v = q.listing()
		start := time.Now()
		if _, err := fi.Facets(lq, v); err != nil {
			return a, 0, err
		}
		return a, time.Since(start), nil
	}
}

// measured is one pass over the queries through two engines.
type measured struct {
	first, second, facets []time.Duration
	disagreements         []Disagreement
}

// run sends every query to both engines, timing each, and compares answers.
// When the first engine does not time facets apart, its whole time is
// reported as the facets' time too (Search computes them with the page).
func run(ctx context.Context, qs []query, first, second engine) (measured, error) {
	var m measured
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		start := time.Now()
		a, facets, err := first(ctx, q)
		took := time.Since(start) - facets
		if err != nil {
			return m, fmt.Errorf("index: %s: %w", q, err)
		}
		if facets == 0 {
			facets = took
		}
		start = time.Now()
		b, _, err := second(ctx, q)
		if err != nil {
			return m, fmt.Errorf("sqlite: %s: %w", q, err)
		}
		m.second = append(m.second, time.Since(start))
		m.first = append(m.first, took)
		m.facets = append(m.facets, facets)
		if !a.equal(b) {
			m.disagreements = append(m.disagreements, Disagreement{Query: q.String(), Index: a, SQLite: b})
		}
	}
	return m, nil
}

// percentiles gives p50 and p99 by nearest rank, in milliseconds.
func percentiles(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return ms3(s[max(0, min(i, len(s)-1))])
	}
	return Latency{P50: rank(0.50), P99: rank(0.99)}
}

// ms3 is milliseconds to the microsecond.
func ms3(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
