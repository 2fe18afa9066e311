package listing

import (
	"testing"
	"time"

	"quire/internal/store"
)

// A date bound before 1970 (dates are kept as seconds since then) keeps
// only works dated before it, not every work; a bound after 2106 (past
// what 32 bits of seconds hold) keeps none from it on.
func TestDateBoundsOutsideTheStoredRange(t *testing.T) {
	for _, cutsFrom := range []int{4096, 1} {
		ix := New(nil)
		ix.cutsFrom, ix.cutsAbove = cutsFrom, 0
		when := time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC).Unix()
		for id := int64(1); id <= 40; id++ {
			ix.Put(store.IndexRow{ID: id, Language: "en", PostedAt: when, UpdatedAt: when + id*86400, Words: int(id * 100)})
		}
		day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
		for _, c := range []struct {
			from, to string
			want     int
		}{
			{"", "1969-06-01", 0},
			{"1960-01-01", "1969-12-30", 0},
			{"1960-01-01", "", 40},
			{"2200-01-01", "", 0},
			{"", "2200-01-01", 40},
			{"2020-05-02", "2020-05-11", 10},
		} {
			for _, sort := range []string{"updated", "kudos"} {
				q := Query{Sort: sort, PerPage: 20, Page: 1}
				if c.from != "" {
					q.UpdatedFrom = day(c.from)
				}
				if c.to != "" {
					q.UpdatedTo = day(c.to)
				}
				res, err := ix.Search(q, Viewer{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != c.want || len(res.IDs) != min(c.want, 20) {
					t.Errorf("cuts from %d, updated %q..%q by %s: total %d with %d on the page, want %d", cutsFrom, c.from, c.to, sort, res.Total, len(res.IDs), c.want)
				}
			}
		}
	}
}
