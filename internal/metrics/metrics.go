// Package metrics exposes a node's numbers to Prometheus in its text
// format: requests by kind, method and status, a latency histogram, and
// gauges read when scraped (index size, change-feed lag, job queue depth).
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// buckets are the latency histogram's upper bounds, in seconds.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type reqKey struct {
	kind, method string
	code         int
}

type series struct {
	counts []uint64 // per bucket, then +Inf
	sum    float64
	n      uint64
}

// Registry holds one node's metrics.
type Registry struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*series // by kind
	gauges   []gauge
	counters []counterFamily
}

type gauge struct {
	name, help string
	fn         func() float64
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{requests: map[reqKey]uint64{}, latency: map[string]*series{}}
}

// Gauge adds a value read at every scrape.
func (r *Registry) Gauge(name, help string, fn func() float64) {
	r.mu.Lock()
	r.gauges = append(r.gauges, gauge{name, help, fn})
	r.mu.Unlock()
}

// Kind names the part of the site a path belongs to, so that the label
// set stays small whatever paths readers ask for.
func Kind(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case strings.HasPrefix(path, "/downloads/"):
		return "download"
	case strings.HasSuffix(path, ".atom"):
		return "feed"
	case path == "/metrics" || path == "/healthz":
		return "ops"
	default:
		return "page"
	}
}

type recorder struct {
	http.ResponseWriter
	code int
}

func (w *recorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Wrap counts and times every request h serves.
func (r *Registry) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, req)
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		r.observe(Kind(req.URL.Path), req.Method, rec.code, time.Since(start))
	})
}

func (r *Registry) observe(kind, method string, code int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		method = "other"
	}
	sec := d.Seconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[reqKey{kind, method, code}]++
	s := r.latency[kind]
	if s == nil {
		s = &series{counts: make([]uint64, len(buckets)+1)}
		r.latency[kind] = s
	}
	i := sort.SearchFloat64s(buckets, sec)
	s.counts[i]++
	s.sum += sec
	s.n++
}

// ServeHTTP writes the metrics in Prometheus' text format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	r.Write(w)
}

// Write writes the metrics in Prometheus' text format.
func (r *Registry) Write(out io.Writer) {
	r.mu.Lock()
	keys := make([]reqKey, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.code < b.code
	})
	var b strings.Builder
	b.WriteString("# HELP quire_http_requests_total HTTP requests served, by part of the site, method and status.\n# TYPE quire_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "quire_http_requests_total{kind=%q,method=%q,code=\"%d\"} %d\n", k.kind, k.method, k.code, r.requests[k])
	}
	b.WriteString("# HELP quire_http_request_duration_seconds Time to serve a request, by part of the site.\n# TYPE quire_http_request_duration_seconds histogram\n")
	kinds := make([]string, 0, len(r.latency))
	for k := range r.latency {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		s := r.latency[k]
		var cum uint64
		for i, ub := range buckets {
			cum += s.counts[i]
			fmt.Fprintf(&b, "quire_http_request_duration_seconds_bucket{kind=%q,le=%q} %d\n", k, strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		cum += s.counts[len(buckets)]
		fmt.Fprintf(&b, "quire_http_request_duration_seconds_bucket{kind=%q,le=\"+Inf\"} %d\n", k, cum)
		fmt.Fprintf(&b, "quire_http_request_duration_seconds_sum{kind=%q} %s\n", k, strconv.FormatFloat(s.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "quire_http_request_duration_seconds_count{kind=%q} %d\n", k, s.n)
	}
	gauges := append([]gauge(nil), r.gauges...)
	counters := append([]counterFamily(nil), r.counters...)
	r.mu.Unlock()
	for _, c := range counters {
		c.write(&b)
	}
	for _, g := range gauges {
		v := g.fn()
		if math.IsNaN(v) {
			continue
		}
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", g.name, g.help, g.name, g.name, strconv.FormatFloat(v, 'g', -1, 64))
	}
	io.WriteString(out, b.String())
}
