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

// Disagreement is one query an SQL engine answered differently from the
// index.
type Disagreement struct {
	Query        string
	Engine       string // "sqlite" or "postgres"
	Index, Other answer
}

func (d Disagreement) String() string {
	return fmt.Sprintf("disagreement on %s\n  index:  %s\n  %s: %s", d.Query, d.Index, d.Engine, d.Other)
}

// engine answers a query.
type engine func(ctx context.Context, q query) (answer, error)

// indexer is the index as run measures it: the page (filter, sort, page)
// and, when the index computes them apart, the facets.
type indexer struct {
	search engine
	facets func(q query) error // nil: Search computes them with the page
}

// indexEngine runs queries through the listing index.
func indexEngine(ix *listing.Index) indexer {
	fi, split := any(ix).(facetIndex)
	in := indexer{search: func(_ context.Context, q query) (answer, error) {
		lq, v := q.listing()
		lq.SkipFacets = split // facets are timed in a pass of their own
		res, err := ix.Search(lq, v)
		if err != nil {
			return answer{Err: err.Error()}, nil
		}
		return answer{Total: res.Total, IDs: res.IDs}, nil
	}}
	if split {
		in.facets = func(q query) error {
			lq, v := q.listing()
			_, err := fi.Facets(lq, v)
			return err
		}
	}
	return in
}

// opponent is an SQL engine with the name its answers are reported under.
type opponent struct {
	name   string
	answer engine
}

// measured is one pass over the queries through the index and its opponents.
type measured struct {
	first, facets []time.Duration
	// sql are the opponents' times, in the order run was given them.
	sql           [][]time.Duration
	disagreements []Disagreement
}

// run sends every query to the index, then (in a second pass) asks for
// every query's facets, then sends every query to each opponent in turn,
// timing each, and compares every opponent's answer with the index's. Each
// engine, and the facets, run in a pass of their own, so no timing includes
// the cache misses and garbage collection other work left behind (a SQLite
// query runs for milliseconds and churns memory; a facet count streams
// through the per-work tag lists). When the index does not compute facets
// apart, its whole time is reported as the facets' time too.
func run(ctx context.Context, qs []query, first indexer, opponents ...opponent) (measured, error) {
	m := measured{sql: make([][]time.Duration, len(opponents))}
	answers := make([]answer, 0, len(qs))
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		start := time.Now()
		a, err := first.search(ctx, q)
		took := time.Since(start)
		if err != nil {
			return m, fmt.Errorf("index: %s: %w", q, err)
		}
		m.first = append(m.first, took)
		answers = append(answers, a)
	}
	if first.facets == nil {
		m.facets = m.first
	} else {
		for n, q := range qs {
			if err := ctx.Err(); err != nil {
				return m, err
			}
			if answers[n].Err != "" {
				continue // a refused query (an unknown tag) has no facets
			}
			start := time.Now()
			if err := first.facets(q); err != nil {
				return m, fmt.Errorf("index facets: %s: %w", q, err)
			}
			m.facets = append(m.facets, time.Since(start))
		}
	}
	for i, o := range opponents {
		for n, q := range qs {
			if err := ctx.Err(); err != nil {
				return m, err
			}
			start := time.Now()
			b, err := o.answer(ctx, q)
			if err != nil {
				return m, fmt.Errorf("%s: %s: %w", o.name, q, err)
			}
			m.sql[i] = append(m.sql[i], time.Since(start))
			if a := answers[n]; !a.equal(b) {
				m.disagreements = append(m.disagreements, Disagreement{Query: q.String(), Engine: o.name, Index: a, Other: b})
			}
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
