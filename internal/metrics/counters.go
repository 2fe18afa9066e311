package metrics

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// counterFamily is a counter with one label, its values read at every
// scrape from counts kept elsewhere.
type counterFamily struct {
	name, help, label string
	fn                func() map[string]float64
}

// Counters adds a labelled counter read at every scrape: fn returns the
// count for each label value.
func (r *Registry) Counters(name, help, label string, fn func() map[string]float64) {
	r.mu.Lock()
	r.counters = append(r.counters, counterFamily{name, help, label, fn})
	r.mu.Unlock()
}

func (c counterFamily) write(b *strings.Builder) {
	vals := c.fn()
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	for _, k := range keys {
		fmt.Fprintf(b, "%s{%s=%q} %s\n", c.name, c.label, k, strconv.FormatFloat(vals[k], 'g', -1, 64))
	}
}
