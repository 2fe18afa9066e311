package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"quire/internal/api"
	"quire/internal/demo"
	"quire/internal/formats"
	"quire/internal/formats/kindle"
	"quire/internal/formats/pdf"
	"quire/internal/jobs"
	"quire/internal/listing"
	"quire/internal/mail"
	"quire/internal/metrics"
	"quire/internal/site"
	"quire/internal/store/postgres"
	"quire/internal/web"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	var sf storeFlags
	sf.register(fs)
	var lf localeFlags
	lf.register(fs, &sf.data)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	metricsAddr := fs.String("metrics-addr", "127.0.0.1:9090", "address of the separate listener for /metrics (loopback by default, as Prometheus exporters do; empty = no metrics)")
	smtpURL := fs.String("smtp", "", "send mail through this SMTP server (smtp://host:port); empty = write mail to the log")
	mailFrom := fs.String("mail-from", "quire@localhost", "the From address of the archive's mail")
	baseURL := fs.String("base-url", "", "the archive's public URL, for links in mail (default http://ADDR)")
	proxies := fs.String("trusted-proxy", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed")
	apiLimit := fs.Int("api-rate-limit", 600, "API requests per minute per token or address (0 = unlimited)")
	loginLimit := fs.Int("login-rate-limit", 10, "failed logins per minute per address and per account (0 = unlimited)")
	reportLimit := fs.Int("report-rate-limit", 5, "reports per hour per account or guest address (0 = unlimited)")
	maxBody := fs.Int64("max-body", 8<<20, "largest request body in bytes")
	withDemo := fs.Bool("demo", false, "fill an empty archive with demo content first")
	demoWorks := fs.Int("demo-works", 2000, "number of works --demo generates")
	profiles := fs.Bool("pprof", false, "also serve Go's runtime profiles (CPU, heap, allocations, mutex, block) at /debug/pprof/ on the --metrics-addr listener, never on the public port")
	logFormat := fs.String("log-format", "text", "log lines as text (key=value) or json")
	epubFetch := fs.Bool("epub-fetch-images", false, "put the remote images a work shows into its EPUB (public addresses only) instead of linking them")
	epubImageMax := fs.Int64("epub-image-max-bytes", 2<<20, "largest remote image --epub-fetch-images embeds; larger ones stay links")
	epubImageTimeout := fs.Duration("epub-image-timeout", 10*time.Second, "time allowed to fetch one remote image for an EPUB")
	pdfBrowser := fs.String("pdf-browser", "auto", "Chromium for the PDF downloads: auto (found on PATH), a path, or off")
	kindleConvert := fs.String("ebook-convert", "auto", "calibre's ebook-convert for the AZW3 (Kindle) downloads: auto (found on PATH), a path, or off")
	convertTimeout := fs.Duration("download-convert-timeout", 3*time.Minute, "time allowed to make one PDF or AZW3 download")
	digestEvery := fs.Duration("digest-interval", time.Minute, "how often this node looks for saved-search digests due (a reader gets one per period however many nodes look; 0 = this node never does)")
	convertParallel := fs.Int("download-converts", 1, "PDF and AZW3 downloads made at once (each a browser or calibre process)")
	jobLock := fs.Duration("job-lock", jobs.LockFor, "how long a node's claim on a background job (mail, a scheduled chapter) lasts: how soon another node takes over a job whose node died mid-way; its handler gets four fifths of it (at least 2s)")
	var pf policyFlags
	pf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", fs.Arg(0))
	}
	if *epubFetch && (*epubImageMax <= 0 || *epubImageTimeout <= 0) {
		return errors.New("--epub-image-max-bytes and --epub-image-timeout must be positive")
	}
	if *jobLock < jobs.MinLockFor {
		return fmt.Errorf("--job-lock %s: must be at least %s", *jobLock, jobs.MinLockFor)
	}
	if *profiles && *metricsAddr == "" {
		return errors.New("--pprof serves the profiles on the metrics listener: give --metrics-addr too")
	}
	initialPolicy := pf.policy()
	if err := initialPolicy.Check(); err != nil {
		return fmt.Errorf("sign-up policy flags: %w", err)
	}
	clientIP, err := clientIPFunc(*proxies)
	if err != nil {
		return err
	}
	var log *slog.Logger
	switch *logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		log = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		return fmt.Errorf("--log-format %q: expected text or json", *logFormat)
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *withDemo {
		n, err := st.CountWorks(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintf(stderr, "filling the empty archive with %d demo works\n", *demoWorks)
			if err := site.FillDemo(ctx, st, demo.Options{Works: *demoWorks, Seed: 1, BodyWords: 400}, stderr); err != nil {
				return err
			}
			fmt.Fprintln(stderr)
		}
	}
	// On PostgreSQL other nodes write too: mark the change feed before the
	// index is built, so that what they commit meanwhile is applied after.
	var feed *postgres.Feed
	if st.Engine().Name() == "postgres" {
		feed = postgres.NewFeed(st, sf.db, log)
		if err := feed.Mark(ctx); err != nil {
			return err
		}
	}
	start := time.Now()
	ix, err := listing.Build(ctx, st, stderr)
	if err != nil {
		return err
	}
	log.Info("index built", "works", ix.Len(), "ms", time.Since(start).Milliseconds())

	runner := jobs.NewRunner(st, log)
	runner.LockFor = *jobLock
	var sender mail.Sender = mail.NewLog(log)
	if *smtpURL != "" {
		if sender, err = mail.NewSMTP(*smtpURL, *mailFrom); err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
	}
	mail.Register(runner, sender)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	// /metrics is not on the public port: it tells anyone the node's
	// traffic, queue and lag. It gets a listener of its own.
	var metricsLn net.Listener
	if *metricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", *metricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr: listen on %s: %w (each quire serve on one host needs its own --metrics-addr; \"\" turns metrics off)", *metricsAddr, err)
		}
	}
	base := *baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	s := site.New(st, ix, runner, log, strings.TrimRight(base, "/"))
	s.ReportRateLimit = *reportLimit
	if err := s.BuildBookmarkIndex(ctx); err != nil {
		return err
	}
	var epubImages *formats.ImageFetcher
	if *epubFetch {
		epubImages = formats.NewImageFetcher(formats.ImageOptions{MaxBytes: *epubImageMax, Timeout: *epubImageTimeout, Log: log})
	}
	if err := s.InitPolicy(ctx, initialPolicy); err != nil {
		return err
	}
	if p, err := s.Policy(ctx); err != nil {
		return err
	} else if !maps.Equal(p.Settings(), initialPolicy.Settings()) {
		log.Warn("the site settings stored in the database differ from the sign-up policy flags; the stored ones apply (an admin changes them at /admin/settings)",
			"signup", p.Signup, "verify_email", p.VerifyEmail, "new_account_hours", p.NewAccountHours, "new_account_works", p.NewAccountWorks,
			"review_first_works", p.ReviewFirstWorks, "refuse_ratings", strings.Join(p.RefuseRatings, ","))
	}
	for _, f := range []struct{ name, value string }{{"--pdf-browser", *pdfBrowser}, {"--ebook-convert", *kindleConvert}} {
		if f.value != "auto" && f.value != "off" && f.value != "" {
			if _, err := exec.LookPath(f.value); err != nil {
				return fmt.Errorf("%s %s: not an executable (auto finds it on PATH; off turns the format off)", f.name, f.value)
			}
		}
	}
	var printer *pdf.Printer
	if path := tool(*pdfBrowser, pdf.FindBrowser); path != "" {
		printer = pdf.New(pdf.Options{Browser: path, Timeout: *convertTimeout, Parallel: *convertParallel})
		log.Info("PDF downloads on", "browser", path)
	} else {
		log.Info("PDF downloads off: no Chromium (apt-get install chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji, or --pdf-browser PATH)")
	}
	var converter *kindle.Converter
	if path := tool(*kindleConvert, kindle.FindEbookConvert); path != "" {
		converter = kindle.New(kindle.Options{EbookConvert: path, Timeout: *convertTimeout, Parallel: *convertParallel})
		log.Info("AZW3 (Kindle) downloads on", "ebook-convert", path)
	} else {
		log.Info("AZW3 (Kindle) downloads off: no calibre ebook-convert (apt-get install calibre, or --ebook-convert PATH)")
	}
	locales, err := lf.load()
	if err != nil {
		return err
	}
	pages, err := web.New(s, web.Options{Locales: locales, LoginRateLimit: *loginLimit, MaxBody: *maxBody, ClientIP: clientIP,
		SecureCookies: strings.HasPrefix(base, "https://"), EPUBImages: epubImages, PDF: printer, Kindle: converter})
	if err != nil {
		return err
	}
	reg := nodeMetrics(s, feed)
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(s, api.Options{RateLimit: *apiLimit, MaxBody: *maxBody, ClientIP: clientIP, Locales: locales}))
	mux.Handle("/", pages)
	srv := &http.Server{Handler: reg.Wrap(mux), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	var metricsSrv *http.Server
	if metricsLn != nil {
		mmux := http.NewServeMux()
		mmux.Handle("GET /metrics", reg)
		if *profiles {
			servePprof(mmux)
		}
		metricsSrv = &http.Server{Handler: mmux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
			WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}

	if n, err := s.ResumeSchedules(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("scheduled publications queued", "count", n)
	}
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan struct{})
	go func() { runner.Run(jobCtx); close(jobsDone) }()
	if feed != nil {
		go s.Follow(jobCtx, feed)
	}
	if *digestEvery > 0 {
		go s.DigestLoop(jobCtx, *digestEvery)
	}

	errc := make(chan error, 2)
	if metricsSrv != nil {
		fmt.Fprintf(stdout, "quire: metrics at http://%s/metrics\n", metricsLn.Addr())
		go func() {
			if err := metricsSrv.Serve(metricsLn); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
	}
	fmt.Fprintf(stdout, "quire: serving %d works at %s\n", ix.Len(), base)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if metricsSrv != nil {
			metricsSrv.Close()
		}
		srv.Close()
		stopJobs()
		<-jobsDone
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	err = srv.Shutdown(shutdownCtx)
	if ferr := s.FlushHits(shutdownCtx); ferr != nil {
		log.Error("shutting down: hits not written", "err", ferr)
	}
	if ferr := s.FlushReadings(shutdownCtx); ferr != nil {
		log.Error("shutting down: reading history not written", "err", ferr)
	}
	stopJobs()
	<-jobsDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// clientIPFunc returns how to find a request's client address: the peer,
// or, when the peer is a trusted proxy, the last X-Forwarded-For hop that
// is not one.
func clientIPFunc(cidrs string) (func(*http.Request) string, error) {
	var nets []*net.IPNet
	for _, c := range strings.Split(cidrs, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		given := c
		if !strings.Contains(c, "/") {
			if strings.Contains(c, ":") {
				c += "/128"
			} else {
				c += "/32"
			}
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy %q is not an address or CIDR range (such as 10.0.0.0/8)", given)
		}
		nets = append(nets, n)
	}
	trusted := func(s string) bool {
		ip := net.ParseIP(strings.TrimSpace(s))
		for _, n := range nets {
			if ip != nil && n.Contains(ip) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) string {
		peer := web.RemoteIP(r)
		if len(nets) == 0 || !trusted(peer) {
			return peer
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			h := strings.TrimSpace(hops[i])
			if h == "" {
				continue
			}
			if !trusted(h) {
				if net.ParseIP(h) == nil {
					return peer
				}
				return h
			}
		}
		return peer
	}, nil
}

// nodeMetrics is the node's /metrics: requests and latencies, the index,
// the change feed (PostgreSQL) and the job queue.
func nodeMetrics(s *site.Site, feed *postgres.Feed) *metrics.Registry {
	reg := metrics.New()
	reg.Counters("quire_spam_stopped_total", "What each spam defence stopped or held on this node.", "defence", func() map[string]float64 {
		out := map[string]float64{}
		for _, d := range site.Defences {
			out[d] = float64(s.Stopped(d))
		}
		return out
	})
	reg.Gauge("quire_index_works", "Works in this node's listing index.", func() float64 { return float64(s.Index.Len()) })
	reg.Gauge("quire_bookmark_index_bookmarks", "Work bookmarks in this node's bookmark index.", func() float64 { return float64(s.BookmarkIndexLen()) })
	reg.Gauge("quire_index_version", "Changes applied to this node's listing index since it was built.", func() float64 { return float64(s.Index.Version()) })
	reg.Gauge("quire_go_heap_bytes", "Bytes of Go heap in use (the index is most of it).", func() float64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc)
	})
	reg.Gauge("quire_jobs_pending", "Background jobs (mail) not yet done.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := s.PendingJobs(ctx)
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	})
	reg.Gauge("quire_reports_honeypot_total", "Reports the form's honeypot field caught (answered as taken, not stored).", func() float64 { return float64(s.ReportTraps()) })
	if feed != nil {
		reg.Gauge("quire_change_feed_applied_total", "Change-feed rows this node has applied.", func() float64 { return float64(s.FeedApplied()) })
		reg.Gauge("quire_change_feed_lag_seconds", "Delay between the latest applied change's commit and its application here.", func() float64 { return s.FeedLag().Seconds() })
		reg.Gauge("quire_change_feed_behind_seconds", "Time since this node last read the change feed.", func() float64 { return feed.Behind().Seconds() })
	}
	return reg
}

// tool is the executable a flag names: "off" (or "") none, "auto" the one
// find finds, else the path itself.
func tool(flagValue string, find func() string) string {
	switch flagValue {
	case "", "off":
		return ""
	case "auto":
		return find()
	}
	return flagValue
}
