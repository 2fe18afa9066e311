package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"quire/internal/archive"
	"quire/internal/demo"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/store"
)

// TrafficOptions configures `quire bench traffic`: an AO3-shaped mix of
// reads and writes from many visitors over keep-alive connections, against
// nodes it starts itself (Binary with DB or Data) or one already running
// (URL, on the archive DB or Data names).
type TrafficOptions struct {
	Binary      string
	DB          string // postgres:// URL of the archive
	Data        string // or an SQLite data directory
	URL         string // a node already serving that archive; "" = start Nodes nodes
	Nodes       int
	Concurrency int           // connections (requests in flight at once)
	Duration    time.Duration // measured
	Warmup      time.Duration // run before measuring, not counted
	Visitors    int           // distinct visitors; a quarter are logged in
	ChapterEach time.Duration // a creator posts a chapter this often (0 = never)
	Seed        int64
	// ProfileDir receives the first node's profiles of the measured window
	// (cpu.pprof) and of the whole run (allocs, heap, mutex, block); "" = none.
	ProfileDir string
	Progress   io.Writer
}

// The mix, in requests per thousand. Every work or chapter view also
// counts a hit, and a logged-in reader's view writes their history.
var trafficMix = []struct {
	Class string
	Per   int // per mille
	What  string
}{
	{"chapter", 367, "a work page at its first chapter or at a chapter (/works/ID, /works/ID/chapters/CID)"},
	{"entire", 183, "an entire work (/works/ID?view_full_work=true)"},
	{"listing", 200, "filtered listings: /works?… with tags included and excluded, ratings, sorts and pages 2-5, and tag pages /tags/NAME/works, pages 1-10"},
	{"search", 50, "a search with q: /works/search?q=WORDS"},
	{"people", 80, "a user's profile, works or bookmarks (/users/NAME, /users/NAME/works, /users/NAME/bookmarks)"},
	{"feed", 30, "Atom feeds of tags and works"},
	{"download", 20, "EPUB and HTML downloads"},
	{"kudos", 25, "a logged-in reader leaves kudos (form POST)"},
	{"comment", 15, "a logged-in reader comments on a chapter (form POST)"},
	{"bookmark", 10, "a logged-in reader bookmarks a work (form POST)"},
	{"subscribe", 10, "a logged-in reader subscribes to a work (form POST)"},
	{"later", 10, "a logged-in reader marks a work for later (form POST)"},
}

// MixText describes the mix for --help and the report.
func MixText() string {
	var b strings.Builder
	for _, m := range trafficMix {
		fmt.Fprintf(&b, "  %-9s %4.1f %%  %s\n", m.Class, float64(m.Per)/10, m.What)
	}
	b.WriteString("  post      a creator adds a chapter to their work through the API every --chapter-every (a new work after 200)\n")
	b.WriteString("Every work or chapter view counts a hit; a logged-in reader's view also writes their history.\n")
	b.WriteString("A quarter of the visitors are logged in (each with two muted tags); visitors pick works and tags by Zipf popularity.\n")
	return b.String()
}

// TrafficClass is one kind of request's figures.
type TrafficClass struct {
	Class    string `json:"class"`
	Requests int    `json:"requests"`
	Errors   int    `json:"errors"`
	Repeats  int    `json:"repeats,omitempty"` // 409: kudos or a bookmark the reader had already left
	// Refused are comments the node refused with 429 for the per-reader
	// limit (site.CommentsPerMinute): expected refusals, not errors. The
	// bench keeps each reader under the limit, so they are rare.
	Refused int `json:"refused,omitempty"`
	// ErrorStatus counts the errors by HTTP status ("0" = no answer).
	ErrorStatus map[string]int `json:"error_status,omitempty"`
	PerSecond   float64        `json:"per_second"`
	P50MS       float64        `json:"p50_ms"`
	P95MS       float64        `json:"p95_ms"`
	P99MS       float64        `json:"p99_ms"`
}

// ServerUsage is what the nodes used during the measured window.
type ServerUsage struct {
	CPUSeconds float64 `json:"cpu_seconds"`
	CPUPercent float64 `json:"cpu_percent"` // of one core
	// CPUMSPerRequest is the nodes' CPU time per answered request: the
	// figure that holds when other jobs share the machine.
	CPUMSPerRequest float64 `json:"cpu_ms_per_request"`
	RSSMB           float64 `json:"rss_mb"`
	PeakRSSMB       float64 `json:"peak_rss_mb"`
}

// TrafficReport is the outcome of Traffic.
type TrafficReport struct {
	Works          int            `json:"works"`
	Nodes          int            `json:"nodes"`
	Store          string         `json:"store"`
	Concurrency    int            `json:"concurrency"`
	Visitors       int            `json:"visitors"`
	Seconds        float64        `json:"seconds"`
	Total          TrafficClass   `json:"total"`
	Classes        []TrafficClass `json:"classes"`
	WritesAcked    int            `json:"writes_acked"`
	HistoryWrites  int            `json:"history_writes"`
	ChaptersPosted int            `json:"chapters_posted"`
	Server         *ServerUsage   `json:"server,omitempty"`
	ClientCPU      float64        `json:"client_cpu_percent"`
}

// Text writes the report as a table.
func (r *TrafficReport) Text(w io.Writer) {
	fmt.Fprintf(w, "traffic mix on %d works, %s, %d node(s), %d connections, %d visitors, %.0fs\n",
		r.Works, r.Store, r.Nodes, r.Concurrency, r.Visitors, r.Seconds)
	fmt.Fprintf(w, "%-9s %9s %8s %8s %8s %8s %6s\n", "class", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
	row := func(x TrafficClass) {
		fmt.Fprintf(w, "%-9s %9d %8.1f %8.2f %8.2f %8.2f %6d", x.Class, x.Requests, x.PerSecond, x.P50MS, x.P95MS, x.P99MS, x.Errors)
		if x.Repeats > 0 {
			fmt.Fprintf(w, "  (%d repeats answered 409)", x.Repeats)
		}
		if x.Refused > 0 {
			fmt.Fprintf(w, "  (%d refused 429: the comment limit)", x.Refused)
		}
		if len(x.ErrorStatus) > 0 {
			codes := make([]string, 0, len(x.ErrorStatus))
			for c := range x.ErrorStatus {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			for _, c := range codes {
				fmt.Fprintf(w, "  [status %s: %d]", c, x.ErrorStatus[c])
			}
		}
		fmt.Fprintln(w)
	}
	for _, x := range r.Classes {
		row(x)
	}
	row(r.Total)
	fmt.Fprintf(w, "writes acknowledged: %d form writes, %d history writes (logged-in views), %d chapters posted; every view counted a hit\n",
		r.WritesAcked, r.HistoryWrites, r.ChaptersPosted)
	if r.Server != nil {
		fmt.Fprintf(w, "server: %.0f %% of one core (%.1f CPU s, %.2f CPU ms a request), RSS %.0f MB (peak %.0f MB); load generator %.0f %% of one core\n",
			r.Server.CPUPercent, r.Server.CPUSeconds, r.Server.CPUMSPerRequest, r.Server.RSSMB, r.Server.PeakRSSMB, r.ClientCPU)
	} else {
		fmt.Fprintf(w, "load generator %.0f %% of one core\n", r.ClientCPU)
	}
}

// WriteJSON writes the report as one line of JSON.
func (r *TrafficReport) WriteJSON(w io.Writer) error { return json.NewEncoder(w).Encode(r) }

// benchPassword is the bench readers' password (they exist only in bench archives).
const benchPassword = "bench-traffic-reader"

// trafficPlan is what the visitors draw from.
type trafficPlan struct {
	works     []int64           // by popularity rank
	chapters  map[int64][]int64 // chapter ids of the most popular works
	tags      []string          // canonical tags, popular first
	listings  []string          // filtered /works?… paths
	words     []string          // search words
	users     []string          // demo users' names
	readers   []string          // the bench's logged-in readers
	freeforms []string          // canonical freeform tags, for the readers' mutes
}

// planTraffic reads what the visitors will ask for from the archive: the
// public works (shuffled into a popularity order), the chapters of the most
// popular, the canonical tags and words to search for.
func planTraffic(ctx context.Context, st store.Store, seed int64, progress io.Writer) (*trafficPlan, error) {
	works, err := st.CountWorks(ctx)
	if err != nil {
		return nil, err
	}
	if works == 0 {
		return nil, errors.New("the archive has no works; fill it first (quire demo --works N …)")
	}
	r := rand.New(rand.NewSource(seed))
	plan := &trafficPlan{chapters: map[int64][]int64{}}
	if err := st.IndexRows(ctx, func(row store.IndexRow) error {
		if !row.Draft && !row.Hidden && !row.Restricted && row.ChaptersPosted > 0 {
			plan.works = append(plan.works, row.ID)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if len(plan.works) == 0 {
		return nil, errors.New("the archive has no public works")
	}
	r.Shuffle(len(plan.works), func(i, j int) { plan.works[i], plan.works[j] = plan.works[j], plan.works[i] })
	head := min(len(plan.works), 3000)
	fmt.Fprintf(progress, "bench traffic: reading the chapters of the %d most popular works\n", head)
	for _, id := range plan.works[:head] {
		cs, err := st.Chapters(ctx, id, false)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if !c.Draft {
				plan.chapters[id] = append(plan.chapters[id], c.ID)
			}
		}
	}
	rows, err := st.AllTags(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, t := range rows {
		if !t.Canonical {
			continue
		}
		plan.tags = append(plan.tags, t.Name)
		for _, w := range strings.Fields(strings.ToLower(t.Name)) {
			if len(w) > 3 && !seen[w] {
				seen[w] = true
				plan.words = append(plan.words, w)
			}
		}
	}
	if len(plan.tags) == 0 || len(plan.words) == 0 {
		return nil, errors.New("the archive has no canonical tags to list by")
	}
	r.Shuffle(len(plan.tags), func(i, j int) { plan.tags[i], plan.tags[j] = plan.tags[j], plan.tags[i] })
	lp, err := listingPaths(ctx, st, 400, seed)
	if err != nil {
		return nil, err
	}
	plan.listings = lp["html"]
	users := demo.UserCount(demo.Options{Works: works})
	for i := range min(users, 5000) {
		plan.users = append(plan.users, demo.UserName(i))
	}
	return plan, nil
}

// trafficSetup plans the traffic and prepares the archive for it: the
// logged-in readers (bench_reader_N, two muted tags each, made once per
// archive) and a creator with a new API token. It works in-process on st,
// before or while nodes serve it.
func trafficSetup(ctx context.Context, st store.Store, opts TrafficOptions, progress io.Writer) (*trafficPlan, string, error) {
	plan, err := planTraffic(ctx, st, opts.Seed, progress)
	if err != nil {
		return nil, "", err
	}
	rows, err := st.AllTags(ctx)
	if err != nil {
		return nil, "", err
	}
	for _, t := range rows {
		if t.Canonical && t.Type == archive.TypeFreeform {
			plan.freeforms = append(plan.freeforms, t.Name)
		}
	}
	s := site.New(st, listing.New(nil), nil, nil, "")
	readers := max(1, opts.Visitors/4)
	fmt.Fprintf(progress, "bench traffic: %d logged-in readers (bench_reader_N, made once per archive)\n", readers)
	for i := range readers {
		name := "bench_reader_" + strconv.Itoa(i+1)
		plan.readers = append(plan.readers, name)
		if _, err := st.UserByName(ctx, name); err == nil {
			continue
		}
		if _, err := s.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.invalid", Password: benchPassword, Confirmation: benchPassword, Operator: true}); err != nil {
			return nil, "", fmt.Errorf("make reader %s: %w", name, err)
		}
		if (i+1)%50 == 0 {
			fmt.Fprintf(progress, "bench traffic: %d/%d readers\n", i+1, readers)
		}
	}
	token := ""
	if opts.ChapterEach > 0 {
		const creator = "bench_creator"
		u, err := st.UserByName(ctx, creator)
		if err != nil {
			if u, err = s.Signup(ctx, site.SignupInput{Name: creator, Email: creator + "@example.invalid", Password: benchPassword, Confirmation: benchPassword, Operator: true}); err != nil {
				return nil, "", fmt.Errorf("make %s: %w", creator, err)
			}
		}
		if token, err = s.CreateToken(ctx, u, "bench traffic"); err != nil {
			return nil, "", err
		}
	}
	return plan, token, nil
}

// visitor is one reader: a cookie jar (guest cookie or session), an
// address the node believes through X-Forwarded-For, and for a logged-in
// reader a name.
type visitor struct {
	client *http.Client
	addr   string
	name   string // "" = guest
	mu     sync.Mutex
	// commented holds when this reader's acknowledged comments of the
	// last minute were sent, so the bench keeps under the node's limit.
	commented []time.Time
}

// mayComment reports whether v can comment now without passing the
// node's per-reader limit; if so it reserves the comment (undo with
// uncomment when the node did not take it).
func (v *visitor) mayComment(now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	// A second of slack: the node keeps comment times to the second.
	cut := now.Add(-time.Minute - time.Second)
	keep := v.commented[:0]
	for _, t := range v.commented {
		if t.After(cut) {
			keep = append(keep, t)
		}
	}
	v.commented = keep
	if len(v.commented) >= site.CommentsPerMinute {
		return false
	}
	v.commented = append(v.commented, now)
	return true
}

func (v *visitor) uncomment(at time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for i, t := range v.commented {
		if t.Equal(at) {
			v.commented = append(v.commented[:i], v.commented[i+1:]...)
			return
		}
	}
}

// sample is one answered request.
type sample struct {
	class  int
	d      time.Duration
	status int
	err    bool
}

// Traffic runs the mix and reports it.
func Traffic(ctx context.Context, st store.Store, opts TrafficOptions) (*TrafficReport, error) {
	if opts.Concurrency < 1 || opts.Duration <= 0 || opts.Visitors < 4 || opts.Nodes < 1 {
		return nil, errors.New("--concurrency and --duration must be positive, --visitors at least 4, --nodes at least 1")
	}
	if opts.Nodes > 1 && opts.DB == "" {
		return nil, errors.New("several nodes share one archive only on PostgreSQL: give --db postgres://…")
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	plan, token, err := trafficSetup(ctx, st, opts, progress)
	if err != nil {
		return nil, err
	}
	works, err := st.CountWorks(ctx)
	if err != nil {
		return nil, err
	}
	rep := &TrafficReport{Works: works, Nodes: opts.Nodes, Store: "SQLite", Concurrency: opts.Concurrency, Visitors: opts.Visitors}
	if opts.DB != "" {
		rep.Store = "PostgreSQL"
	}
	var bases []string
	var nodes []*benchNode
	defer func() {
		for _, n := range nodes {
			n.terminate()
		}
	}()
	if opts.URL != "" {
		bases = []string{strings.TrimRight(opts.URL, "/")}
		rep.Nodes = 1
	} else {
		for i := range opts.Nodes {
			fmt.Fprintf(progress, "bench traffic: starting node %d\n", i+1)
			args := []string{"--trusted-proxy", "127.0.0.1/32,::1/128", "--login-rate-limit", "0"}
			if opts.ProfileDir != "" {
				args = append(args, "--metrics-addr", "127.0.0.1:0", "--pprof")
			}
			n, err := startNode(ctx, opts.Binary, opts.DB, opts.Data, args...)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
			bases = append(bases, n.url)
		}
	}

	transport := &http.Transport{MaxIdleConns: opts.Concurrency * 2, MaxIdleConnsPerHost: opts.Concurrency, MaxConnsPerHost: opts.Concurrency, IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()
	visitors := make([]*visitor, opts.Visitors)
	for i := range visitors {
		jar, _ := cookiejar.New(nil)
		visitors[i] = &visitor{
			client: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
			addr: fmt.Sprintf("10.%d.%d.%d", 1+i/65536%250, i/256%256, i%256),
		}
		if i < len(plan.readers) {
			visitors[i].name = plan.readers[i]
		}
	}
	fmt.Fprintf(progress, "bench traffic: logging in %d readers (each mutes two tags)\n", len(plan.readers))
	if err := loginAll(ctx, visitors[:len(plan.readers)], bases, plan.freeforms, opts.Seed); err != nil {
		return nil, err
	}

	run := func(d time.Duration, record bool) ([][]sample, time.Duration, int) {
		rctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		out := make([][]sample, opts.Concurrency)
		var posted atomic.Int64
		var wg sync.WaitGroup
		if token != "" && opts.ChapterEach > 0 {
			wg.Go(func() { posted.Add(int64(postChapters(rctx, transport, bases[0], token, plan, opts.ChapterEach))) })
		}
		start := time.Now()
		for i := range opts.Concurrency {
			base := bases[i%len(bases)]
			seed := opts.Seed*1000 + int64(i)
			if record {
				seed += 500
			}
			wg.Go(func() { out[i] = readerLoop(rctx, base, plan, visitors, len(plan.readers), seed) })
		}
		wg.Wait()
		return out, time.Since(start), int(posted.Load())
	}
	if opts.Warmup > 0 {
		fmt.Fprintf(progress, "bench traffic: warming up for %v\n", opts.Warmup)
		run(opts.Warmup, false)
	}
	fmt.Fprintf(progress, "bench traffic: measuring for %v with %d connections\n", opts.Duration, opts.Concurrency)
	cpu0 := nodesCPU(nodes)
	self0 := procCPU(os.Getpid())
	profDone := make(chan error, 1)
	if opts.ProfileDir != "" && len(nodes) > 0 {
		if err := os.MkdirAll(opts.ProfileDir, 0o755); err != nil {
			return nil, err
		}
		secs := max(1, int(opts.Duration.Seconds())-1)
		go func() {
			profDone <- fetchProfile(ctx, nodes[0].metrics+"/debug/pprof/profile?seconds="+strconv.Itoa(secs), filepath.Join(opts.ProfileDir, "cpu.pprof"))
		}()
	} else {
		profDone <- nil
	}
	samples, elapsed, posted := run(opts.Duration, true)
	if err := <-profDone; err != nil {
		return nil, fmt.Errorf("CPU profile: %w", err)
	}
	if opts.ProfileDir != "" && len(nodes) > 0 {
		for _, name := range []string{"allocs", "heap", "mutex", "block"} {
			if err := fetchProfile(ctx, nodes[0].metrics+"/debug/pprof/"+name, filepath.Join(opts.ProfileDir, name+".pprof")); err != nil {
				return nil, fmt.Errorf("%s profile: %w", name, err)
			}
		}
		fmt.Fprintf(progress, "bench traffic: profiles in %s (go tool pprof -top %s)\n", opts.ProfileDir, filepath.Join(opts.ProfileDir, "cpu.pprof"))
	}
	cpu1 := nodesCPU(nodes)
	self1 := procCPU(os.Getpid())
	rep.Seconds = elapsed.Seconds()
	rep.ChaptersPosted = posted
	rep.ClientCPU = 100 * (self1 - self0) / elapsed.Seconds()
	if len(nodes) > 0 {
		u := &ServerUsage{CPUSeconds: cpu1 - cpu0}
		u.CPUPercent = 100 * u.CPUSeconds / elapsed.Seconds()
		for _, n := range nodes {
			rss, peak := procMem(n.cmd.Process.Pid)
			u.RSSMB += rss
			u.PeakRSSMB += peak
		}
		rep.Server = u
	}
	summarize(rep, samples, elapsed, len(plan.readers) > 0)
	if rep.Server != nil && rep.Total.Requests > 0 {
		rep.Server.CPUMSPerRequest = 1000 * rep.Server.CPUSeconds / float64(rep.Total.Requests)
	}
	if rep.Total.Requests == 0 {
		return rep, errors.New("no request was answered")
	}
	return rep, nil
}

// summarize fills the report's classes from the samples.
func summarize(rep *TrafficReport, samples [][]sample, elapsed time.Duration, _ bool) {
	byClass := make([][]time.Duration, len(trafficMix))
	errs := make([]int, len(trafficMix))
	repeats := make([]int, len(trafficMix))
	refused := make([]int, len(trafficMix))
	statuses := make([]map[string]int, len(trafficMix))
	var all []time.Duration
	for _, ss := range samples {
		for _, s := range ss {
			switch {
			case s.err:
				errs[s.class]++
				if statuses[s.class] == nil {
					statuses[s.class] = map[string]int{}
				}
				statuses[s.class][strconv.Itoa(s.status)]++
				continue
			case s.status == http.StatusTooManyRequests:
				refused[s.class]++
				continue
			case s.status == http.StatusConflict:
				repeats[s.class]++
			case s.class >= firstWrite:
				rep.WritesAcked++
			}
			if s.status == -1 { // a logged-in view: its history was written
				rep.HistoryWrites++
			}
			byClass[s.class] = append(byClass[s.class], s.d)
			all = append(all, s.d)
		}
	}
	mk := func(name string, ds []time.Duration, e, rp int) TrafficClass {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		c := TrafficClass{Class: name, Requests: len(ds), Errors: e, Repeats: rp, PerSecond: float64(len(ds)) / elapsed.Seconds()}
		if len(ds) > 0 {
			q := func(p float64) float64 { return ms(ds[min(len(ds)-1, int(p*float64(len(ds))))]) }
			c.P50MS, c.P95MS, c.P99MS = q(0.50), q(0.95), q(0.99)
		}
		return c
	}
	totalErrs, totalRep, totalRefused := 0, 0, 0
	for i, m := range trafficMix {
		c := mk(m.Class, byClass[i], errs[i], repeats[i])
		c.Refused, c.ErrorStatus = refused[i], statuses[i]
		rep.Classes = append(rep.Classes, c)
		totalErrs += errs[i]
		totalRep += repeats[i]
		totalRefused += refused[i]
	}
	rep.Total = mk("all", all, totalErrs, totalRep)
	rep.Total.Refused = totalRefused
}

// firstWrite is the index in trafficMix of the first write class.
var firstWrite = func() int {
	for i, m := range trafficMix {
		if m.Class == "kudos" {
			return i
		}
	}
	panic("no kudos class")
}()

// loginAll logs the readers in through the login form, then each mutes
// two freeform tags through the mutes form.
func loginAll(ctx context.Context, vs []*visitor, bases []string, freeforms []string, seed int64) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(vs))
	sem := make(chan struct{}, 4)
	r := rand.New(rand.NewSource(seed))
	for i, v := range vs {
		base := bases[i%len(bases)]
		var mutes string
		if len(freeforms) > 0 {
			mutes = freeforms[r.Intn(len(freeforms))] + "\n" + freeforms[r.Intn(len(freeforms))]
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			post := func(path string, form url.Values) error {
				resp, err := v.do(ctx, http.MethodPost, base, path, form)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					return fmt.Errorf("the node answered %s", resp.Status)
				}
				return nil
			}
			if err := post("/login", url.Values{"login": {v.name}, "password": {benchPassword}}); err != nil {
				errc <- fmt.Errorf("log in %s: %w", v.name, err)
				return
			}
			if mutes != "" {
				if err := post("/account/mutes", url.Values{"tags": {mutes}}); err != nil {
					errc <- fmt.Errorf("mute tags for %s: %w", v.name, err)
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// do sends one request as the visitor: a form POST carries the Origin a
// browser sends, so the node's cross-origin protection accepts it.
func (v *visitor) do(ctx context.Context, method, base, path string, form url.Values) (*http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Forwarded-For", v.addr)
	req.Header.Set("User-Agent", "quire-bench-traffic")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return v.client.Do(req)
}

// requestGen draws requests from the mix.
type requestGen struct {
	r                          *rand.Rand
	plan                       *trafficPlan
	workZipf, tagZipf, userZip *rand.Zipf
	cum                        []int
	total                      int
	n                          int
}

func newRequestGen(plan *trafficPlan, seed int64, readsOnly bool) *requestGen {
	r := rand.New(rand.NewSource(seed))
	g := &requestGen{r: r, plan: plan,
		workZipf: rand.NewZipf(r, 1.1, 20, uint64(len(plan.works)-1)),
		tagZipf:  rand.NewZipf(r, 1.1, 5, uint64(len(plan.tags)-1)),
		userZip:  rand.NewZipf(r, 1.2, 5, uint64(len(plan.users)-1)),
		cum:      make([]int, len(trafficMix)),
	}
	for i, m := range trafficMix {
		if !readsOnly || i < firstWrite {
			g.total += m.Per
		}
		g.cum[i] = g.total
	}
	return g
}

// next draws a request: its class, method, path and form (nil for a GET).
// Writes name no reader: the caller sends them as a logged-in one.
func (g *requestGen) next() (class int, method, path string, form url.Values) {
	r, plan := g.r, g.plan
	g.n++
	class = sort.SearchInts(g.cum, r.Intn(g.total)+1)
	work := plan.works[g.workZipf.Uint64()]
	id := strconv.FormatInt(work, 10)
	method = http.MethodGet
	switch trafficMix[class].Class {
	case "chapter":
		path = "/works/" + id
		if cs := plan.chapters[work]; len(cs) > 1 && r.Intn(3) > 0 {
			path += "/chapters/" + strconv.FormatInt(cs[r.Intn(len(cs))], 10)
		}
		path += "?view_adult=true"
	case "entire":
		path = "/works/" + id + "?view_full_work=true&view_adult=true"
	case "listing":
		if r.Intn(2) == 0 {
			path = plan.listings[r.Intn(len(plan.listings))]
		} else {
			path = "/tags/" + url.PathEscape(plan.tags[g.tagZipf.Uint64()]) + "/works"
			if p := r.Intn(10); p > 0 {
				path += "?page=" + strconv.Itoa(p+1)
			}
		}
	case "search":
		q := plan.words[r.Intn(len(plan.words))]
		if r.Intn(2) == 0 {
			q += " " + plan.words[r.Intn(len(plan.words))]
		}
		path = "/works/search?q=" + url.QueryEscape(q)
	case "people":
		name := plan.users[g.userZip.Uint64()]
		switch r.Intn(3) {
		case 0:
			path = "/users/" + name
		case 1:
			path = "/users/" + name + "/works"
		default:
			if len(plan.readers) > 0 && r.Intn(2) == 0 {
				name = plan.readers[r.Intn(len(plan.readers))]
			}
			path = "/users/" + name + "/bookmarks"
		}
	case "feed":
		if r.Intn(2) == 0 {
			path = "/tags/" + url.PathEscape(plan.tags[g.tagZipf.Uint64()]) + "/feed.atom"
		} else {
			path = "/works/" + id + "/feed.atom"
		}
	case "download":
		ext := "epub"
		if r.Intn(2) == 0 {
			ext = "html"
		}
		path = "/downloads/" + id + "/work." + ext
	case "kudos":
		// Kudos and bookmarks go to any work, so a reader seldom repeats one.
		id = strconv.FormatInt(plan.works[r.Intn(len(plan.works))], 10)
		method, path = http.MethodPost, "/works/"+id+"/kudos"
		form = url.Values{"return_to": {"/works/" + id}}
	case "comment":
		cs := plan.chapters[work]
		if len(cs) == 0 {
			work = plan.works[0]
			id, cs = strconv.FormatInt(work, 10), plan.chapters[work]
		}
		method, path = http.MethodPost, "/works/"+id+"/chapters/"+strconv.FormatInt(cs[r.Intn(len(cs))], 10)+"/comments"
		form = url.Values{"body": {commentText(r, g.n)}, "format": {"markdown"}}
	case "bookmark":
		id = strconv.FormatInt(plan.works[r.Intn(len(plan.works))], 10)
		method, path = http.MethodPost, "/works/"+id+"/bookmarks"
		form = url.Values{"notes": {"Saved by the traffic bench, visit " + strconv.Itoa(g.n) + "."}, "tags": {"bench"}}
	case "subscribe":
		method, path = http.MethodPost, "/subscriptions"
		form = url.Values{"kind": {"work"}, "target": {id}, "return_to": {"/works/" + id}}
	case "later":
		method, path = http.MethodPost, "/works/"+id+"/mark_for_later"
		form = url.Values{"on": {strconv.Itoa(r.Intn(2))}}
	}
	return class, method, path, form
}

// readerLoop sends requests from the mix until ctx ends.
func readerLoop(ctx context.Context, base string, plan *trafficPlan, visitors []*visitor, loggedIn int, seed int64) []sample {
	g := newRequestGen(plan, seed, false)
	var out []sample
	for ctx.Err() == nil {
		class, method, path, form := g.next()
		v := visitors[g.r.Intn(len(visitors))]
		if class >= firstWrite {
			if loggedIn == 0 {
				continue
			}
			v = visitors[g.r.Intn(loggedIn)]
		}
		t0 := time.Now()
		isComment := trafficMix[class].Class == "comment"
		if isComment {
			// A reader at the comment limit waits; another comments.
			ok := false
			for range 8 {
				if ok = v.mayComment(t0); ok {
					break
				}
				v = visitors[g.r.Intn(loggedIn)]
			}
			if !ok {
				continue
			}
		}
		resp, err := v.do(ctx, method, base, path, form)
		s := sample{class: class}
		if isComment && (err != nil || resp.StatusCode != http.StatusSeeOther) {
			v.uncomment(t0)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			s.err = true
			out = append(out, s)
			continue
		}
		_, cerr := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		s.d, s.status = time.Since(t0), resp.StatusCode
		if cerr != nil && ctx.Err() != nil {
			break
		}
		c := trafficMix[class].Class
		if c == "kudos" && resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "kudos=again") {
			// The page answers a repeated kudos by going back to the
			// work, which says so: a repeat, not a new kudos.
			s.status = http.StatusConflict
		}
		ok := s.status == http.StatusOK || (method == http.MethodPost && s.status == http.StatusSeeOther) ||
			(s.status == http.StatusConflict && (c == "kudos" || c == "bookmark")) ||
			(s.status == http.StatusTooManyRequests && c == "comment")
		s.err = cerr != nil || !ok
		if !s.err && v.name != "" && (c == "chapter" || c == "entire") {
			s.status = -1 // marks a history write
		}
		out = append(out, s)
	}
	return out
}

// WriteTrafficWrkScript writes a wrk Lua script that replays the read part
// of the mix (as guests: wrk keeps no sessions) from n requests drawn the
// way `quire bench traffic` draws them.
// Use: wrk -t2 -c8 -d60s --latency -s FILE http://127.0.0.1:8080
func WriteTrafficWrkScript(ctx context.Context, st store.Store, n int, seed int64, w io.Writer) error {
	plan, err := planTraffic(ctx, st, seed, io.Discard)
	if err != nil {
		return err
	}
	g := newRequestGen(plan, seed, true)
	var b strings.Builder
	b.WriteString("-- generated by quire bench traffic --wrk-script: the read part of the mix, as guests\n")
	b.WriteString("-- use: wrk -t2 -c8 -d60s --latency -s THIS_FILE http://127.0.0.1:8080\nlocal paths = {\n")
	for range n {
		_, _, path, _ := g.next()
		fmt.Fprintf(&b, "  %q,\n", path)
	}
	b.WriteString(`}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
`)
	_, err = io.WriteString(w, b.String())
	return err
}

// commentText is a short generated comment.
func commentText(r *rand.Rand, n int) string {
	words := []string{"loved", "this", "chapter", "the", "ending", "made", "me", "smile", "cannot", "wait", "for", "more", "thank", "you", "so", "much", "writing"}
	var b strings.Builder
	b.WriteString("Comment ")
	b.WriteString(strconv.Itoa(n))
	b.WriteString(":")
	for range 8 + r.Intn(20) {
		b.WriteByte(' ')
		b.WriteString(words[r.Intn(len(words))])
	}
	b.WriteByte('.')
	return b.String()
}

// postChapters is the creator: a work through the API, then a chapter every
// each until ctx ends. It returns the chapters posted.
func postChapters(ctx context.Context, tr *http.Transport, base, token string, plan *trafficPlan, each time.Duration) int {
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	call := func(method, path string, body any) (map[string]any, error) {
		b, _ := json.Marshal(body)
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode/100 != 2 {
			return nil, fmt.Errorf("%s %s: %s %v", method, path, resp.Status, out)
		}
		return out, nil
	}
	text := func(i int) string {
		return fmt.Sprintf("<p>Chapter %d of the bench creator's story, posted while readers read.</p>", i) + strings.Repeat("<p>The traffic bench writes this paragraph so the chapter has some length to it.</p>", 20)
	}
	posted, chapters := 0, 0
	workID := int64(0)
	tick := time.NewTicker(each)
	defer tick.Stop()
	for ctx.Err() == nil {
		if workID == 0 || chapters >= archive.MaxChapters {
			w, err := call(http.MethodPost, "/api/v1/works", map[string]any{
				"title": "Bench serial " + time.Now().UTC().Format(time.RFC3339Nano), "rating": "General Audiences",
				"warnings": []string{"No Archive Warnings Apply"}, "fandoms": []string{plan.tags[0]},
				"freeforms": []string{"Bench Serial"}, "language": "en", "chapters": []map[string]any{{"body": text(1)}},
			})
			if err != nil {
				if ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "bench traffic: the creator could not post a work:", err)
				}
				return posted
			}
			id, _ := w["id"].(float64)
			workID, chapters = int64(id), 1
			posted++
		} else {
			if _, err := call(http.MethodPost, "/api/v1/works/"+strconv.FormatInt(workID, 10)+"/chapters", map[string]any{"body": text(chapters + 1)}); err != nil {
				if ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "bench traffic: the creator could not post a chapter:", err)
				}
				return posted
			}
			chapters++
			posted++
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	return posted
}

// procCPU is a process's user+system CPU seconds so far (0 when unknown).
func procCPU(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	// Fields after the command: state is 0, utime 11, stime 12 (in ticks of 1/100 s).
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / 100
}

// procMem is a process's resident and peak resident memory in MB.
func procMem(pid int) (rss, peak float64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

func nodesCPU(nodes []*benchNode) float64 {
	t := 0.0
	for _, n := range nodes {
		t += procCPU(n.cmd.Process.Pid)
	}
	return t
}

// fetchProfile saves one of a node's profiles (serve --pprof) to file.
func fetchProfile(ctx context.Context, u, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", u, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}
