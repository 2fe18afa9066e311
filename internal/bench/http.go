package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// HTTPOptions configures `quire bench http`: listing throughput through
// real `quire serve` processes, first with one node, then with more, all on
// one archive.
type HTTPOptions struct {
	Binary      string        // the quire executable that runs the nodes
	DB          string        // postgres:// URL of the archive (several nodes)
	Data        string        // or an SQLite data directory (one node only)
	Nodes       []int         // node counts to measure, e.g. 1, 2
	Concurrency int           // readers at once
	Duration    time.Duration // per measurement
	URLs        int           // distinct filtered listings to cycle through
	Seed        int64
	Progress    io.Writer
}

// HTTPResult is one measurement: Kind "api" or "html" with Nodes nodes.
type HTTPResult struct {
	Kind        string  `json:"kind"`
	Nodes       int     `json:"nodes"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	PerSecond   float64 `json:"per_second"`
	P50MS       float64 `json:"p50_ms"`
	P90MS       float64 `json:"p90_ms"`
	P99MS       float64 `json:"p99_ms"`
}

// HTTPReport is every measurement of a run.
type HTTPReport struct {
	Works   int          `json:"works"`
	Results []HTTPResult `json:"results"`
}

// Text writes the report as a table.
func (r *HTTPReport) Text(w io.Writer) {
	fmt.Fprintf(w, "listing throughput on an archive of %d works\n", r.Works)
	fmt.Fprintf(w, "%-5s %5s %5s %9s %8s %8s %8s %8s %6s\n", "kind", "nodes", "conc", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors")
	for _, x := range r.Results {
		fmt.Fprintf(w, "%-5s %5d %5d %9d %8.0f %8.2f %8.2f %8.2f %6d\n", x.Kind, x.Nodes, x.Concurrency, x.Requests, x.PerSecond, x.P50MS, x.P90MS, x.P99MS, x.Errors)
	}
}

// WriteJSON writes the report as one line of JSON.
func (r *HTTPReport) WriteJSON(w io.Writer) error { return json.NewEncoder(w).Encode(r) }

// HTTP runs the listing benchmark. st is the archive the nodes serve (read
// here only to pick tags for the filtered listings).
func HTTP(ctx context.Context, st store.Store, opts HTTPOptions) (*HTTPReport, error) {
	if opts.DB == "" && opts.Data == "" {
		return nil, errors.New("name the archive with --db postgres://… (or --data DIR for one SQLite node)")
	}
	maxNodes := 0
	for _, n := range opts.Nodes {
		if n < 1 {
			return nil, fmt.Errorf("--nodes %d: a node count is at least 1", n)
		}
		maxNodes = max(maxNodes, n)
	}
	if opts.DB == "" && maxNodes > 1 {
		return nil, errors.New("several nodes share one archive only on PostgreSQL: give --db postgres://…")
	}
	if opts.Concurrency < 1 || opts.Duration <= 0 || opts.URLs < 1 {
		return nil, errors.New("--concurrency, --duration and --urls must be positive")
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	works, err := st.CountWorks(ctx)
	if err != nil {
		return nil, err
	}
	if works == 0 {
		return nil, errors.New("the archive has no works; fill it first (quire demo --works N --db …)")
	}
	paths, err := listingPaths(ctx, st, opts.URLs, opts.Seed)
	if err != nil {
		return nil, err
	}
	rep := &HTTPReport{Works: works}
	var nodes []*benchNode
	defer func() {
		for _, n := range nodes {
			n.stop()
		}
	}()
	sorted := append([]int(nil), opts.Nodes...)
	sort.Ints(sorted)
	for _, want := range sorted {
		for len(nodes) < want {
			fmt.Fprintf(progress, "bench http: starting node %d\n", len(nodes)+1)
			n, err := startNode(ctx, opts.Binary, opts.DB, opts.Data)
			if err != nil {
				return rep, err
			}
			nodes = append(nodes, n)
		}
		bases := make([]string, want)
		for i := range want {
			bases[i] = nodes[i].url
		}
		for _, kind := range []string{"api", "html"} {
			fmt.Fprintf(progress, "bench http: %s listings, %d node(s), %d readers, %v\n", kind, want, opts.Concurrency, opts.Duration)
			res, err := load(ctx, bases, paths[kind], opts.Concurrency, opts.Duration)
			if err != nil {
				return rep, err
			}
			res.Kind, res.Nodes = kind, want
			rep.Results = append(rep.Results, res)
		}
	}
	return rep, nil
}

// listingPaths makes filtered listings from the archive's canonical tags:
// one or two included tags, sometimes an excluded one, a rating, a sort and
// a page, as API and as HTML paths.
func listingPaths(ctx context.Context, st store.Store, n int, seed int64) (map[string][]string, error) {
	rows, err := st.AllTags(ctx)
	if err != nil {
		return nil, err
	}
	byType := map[archive.TagType][]string{}
	for _, r := range rows {
		if r.Canonical {
			byType[r.Type] = append(byType[r.Type], r.Name)
		}
	}
	types := []archive.TagType{archive.TypeFandom, archive.TypeCharacter, archive.TypeRelationship, archive.TypeFreeform}
	var usable []archive.TagType
	for _, t := range types {
		if len(byType[t]) > 0 {
			usable = append(usable, t)
		}
	}
	if len(usable) == 0 {
		return nil, errors.New("the archive has no canonical fandom, character, relationship or freeform tags to filter by")
	}
	r := rand.New(rand.NewSource(seed))
	pick := func() (archive.TagType, string) {
		t := usable[r.Intn(len(usable))]
		names := byType[t]
		// Popular-looking tags first: the vocabulary's head is picked more.
		i := int(float64(len(names)) * r.Float64() * r.Float64())
		return t, names[i]
	}
	sorts := []string{"", "posted", "kudos", "hits", "words", "title"}
	out := map[string][]string{}
	for range n {
		v := url.Values{}
		for range 1 + r.Intn(2) {
			t, name := pick()
			v.Add(string(t), name)
		}
		if r.Intn(3) == 0 {
			t, name := pick()
			v.Add("exclude_"+string(t), name)
		}
		if r.Intn(4) == 0 {
			v.Add("rating", []string{"General Audiences", "Teen And Up Audiences", "Mature"}[r.Intn(3)])
		}
		if s := sorts[r.Intn(len(sorts))]; s != "" {
			v.Set("sort", s)
		}
		if r.Intn(3) == 0 {
			v.Set("page", strconv.Itoa(2+r.Intn(4)))
		}
		q := v.Encode()
		out["api"] = append(out["api"], "/api/v1/works?"+q)
		out["html"] = append(out["html"], "/works?"+q)
	}
	return out, nil
}

// load runs readers against the nodes (each reader keeps to one node, the
// readers spread evenly) for d and measures every answer.
func load(ctx context.Context, bases, paths []string, readers int, d time.Duration) (HTTPResult, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: readers, MaxConnsPerHost: readers}}
	defer client.CloseIdleConnections()
	var next atomic.Int64
	var errs atomic.Int64
	lat := make([][]time.Duration, readers)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range readers {
		base := bases[i%len(bases)]
		wg.Go(func() {
			for ctx.Err() == nil {
				p := paths[int(next.Add(1))%len(paths)]
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	res := HTTPResult{Concurrency: readers, Requests: len(all), Errors: int(errs.Load()), PerSecond: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		q := func(p float64) float64 { return ms(all[min(len(all)-1, int(p*float64(len(all))))]) }
		res.P50MS, res.P90MS, res.P99MS = q(0.50), q(0.90), q(0.99)
	}
	if res.Requests == 0 {
		return res, fmt.Errorf("no listing was answered with 200 (%d errors)", res.Errors)
	}
	return res, nil
}

// benchNode is one `quire serve` process.
type benchNode struct {
	cmd     *exec.Cmd
	url     string
	metrics string // the metrics listener's base URL, when it has one (read after url is known)
	done    chan struct{}
}

var (
	servingRe = regexp.MustCompile(`serving \d+ works at (http://\S+)`)
	metricsRe = regexp.MustCompile(`metrics at (http://\S+)/metrics`)
)

func startNode(ctx context.Context, binary, db, data string, extra ...string) (*benchNode, error) {
	// No metrics listener: several nodes share this host, and the
	// bench does not read /metrics.
	args := []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "", "--api-rate-limit", "0"}
	if db != "" {
		args = append(args, "--db", db)
	} else {
		args = append(args, "--data", data)
	}
	args = append(args, extra...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start a node: %w", err)
	}
	n := &benchNode{cmd: cmd, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := metricsRe.FindStringSubmatch(sc.Text()); m != nil {
				n.metrics = m[1]
			}
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { cmd.Wait(); close(n.done) }()
	select {
	case n.url = <-found:
		return n, nil
	case <-n.done:
		return nil, errors.New("a node exited before serving (run quire serve with the same flags to see why)")
	case <-time.After(10 * time.Minute):
		n.stop()
		return nil, errors.New("a node did not start serving within 10 minutes")
	case <-ctx.Done():
		n.stop()
		return nil, ctx.Err()
	}
}

// terminate stops the node as an operator would (SIGTERM: it writes its
// queued hits and exits), and kills it if it has not exited within 30 s.
func (n *benchNode) terminate() {
	select {
	case <-n.done:
		return
	default:
	}
	n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.done:
	case <-time.After(30 * time.Second):
		n.stop()
	}
}

func (n *benchNode) stop() {
	select {
	case <-n.done:
	default:
		n.cmd.Process.Kill()
		<-n.done
	}
}

// WriteWrkScript writes a wrk Lua script that cycles through the same
// filtered listings `quire bench http` requests: HTML pages, or API
// listings when the environment variable PREFIX is "/api/v1/works?".
// Use: wrk -t2 -c16 -d15s --latency -s FILE http://127.0.0.1:8080
func WriteWrkScript(ctx context.Context, st store.Store, n int, seed int64, w io.Writer) error {
	paths, err := listingPaths(ctx, st, n, seed)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("-- generated by quire bench http --wrk-script\nlocal paths = {\n")
	for _, p := range paths["html"] {
		fmt.Fprintf(&b, "  %q,\n", strings.TrimPrefix(p, "/works?"))
	}
	b.WriteString(`}
local i = 0
local prefix = os.getenv("PREFIX") or "/works?"
request = function()
  i = i + 1
  return wrk.format("GET", prefix .. paths[(i % #paths) + 1])
end
`)
	_, err = io.WriteString(w, b.String())
	return err
}
