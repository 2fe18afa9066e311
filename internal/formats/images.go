package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig checks what the sniffing found
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ImageOptions are an operator's limits on fetching remote images into
// EPUBs. Zero values take the defaults.
type ImageOptions struct {
	MaxBytes  int64         // largest image, in bytes (default 2 MiB)
	Timeout   time.Duration // one image's whole fetch: connect, redirects, body (default 10 s)
	MaxImages int           // distinct images embedded per book; the rest stay links (default 50)
	Log       *slog.Logger  // why an image was not embedded (nil: silent)

	// AllowLoopback lets the fetcher reach 127.0.0.0/8 and ::1, for tests
	// whose image server listens there. No flag or environment variable
	// sets it: a server must never fetch from its own host.
	AllowLoopback bool
}

// ImageFetcher fetches the remote images an EPUB shows, so the book can
// carry them instead of links. It never connects to loopback, private,
// link-local, multicast or unspecified addresses: the check runs on the
// resolved address at dial time, so neither DNS rebinding nor a redirect
// gets around it. Safe for concurrent use.
type ImageFetcher struct {
	opt    ImageOptions
	client *http.Client
}

const (
	defaultImageMaxBytes = 2 << 20
	defaultImageTimeout  = 10 * time.Second
	defaultMaxImages     = 50
	maxImageRedirects    = 3
	imageFetchers        = 4 // images fetched at once for one book
	// maxImagePixels keeps decompression bombs out of readers' memory.
	maxImagePixels = 50_000_000
)

// NewImageFetcher returns a fetcher with opt's limits.
func NewImageFetcher(opt ImageOptions) *ImageFetcher {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = defaultImageMaxBytes
	}
	if opt.Timeout <= 0 {
		opt.Timeout = defaultImageTimeout
	}
	if opt.MaxImages <= 0 {
		opt.MaxImages = defaultMaxImages
	}
	allowLoopback := opt.AllowLoopback
	dialer := &net.Dialer{
		Timeout: opt.Timeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			return checkImageAddr(network, address, allowLoopback)
		},
	}
	tr := &http.Transport{
		Proxy:                  nil, // a proxy would dial for us, past the address check
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    opt.Timeout,
		ResponseHeaderTimeout:  opt.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
	}
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxImageRedirects {
				return fmt.Errorf("more than %d redirects", maxImageRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s", req.URL.Scheme)
			}
			return nil // the new host is dialled through the same check
		},
	}
	return &ImageFetcher{opt: opt, client: client}
}

// Options are the fetcher's limits, defaults filled in.
func (f *ImageFetcher) Options() ImageOptions { return f.opt }

// errForbiddenAddr is a dial refused by the address check.
var errForbiddenAddr = errors.New("address not allowed")

// blockedPrefixes are ranges netip's predicates do not name but that lead
// into someone's own network or nowhere: "this network", carrier-grade NAT,
// IETF protocol assignments, benchmarking, the reserved class E and
// broadcast, and NAT64, which would reach any IPv4 address through IPv6.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// checkImageAddr refuses a dial to an address outside the public internet.
func checkImageAddr(network, address string, allowLoopback bool) error {
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("dial %s %s: %w", network, address, errForbiddenAddr)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, errForbiddenAddr)
	}
	ip := ap.Addr().Unmap()
	if !publicAddr(ip, allowLoopback) {
		return fmt.Errorf("dial %s: %w", address, errForbiddenAddr)
	}
	return nil
}

func publicAddr(ip netip.Addr, allowLoopback bool) bool {
	if ip.IsLoopback() {
		return allowLoopback
	}
	if !ip.IsValid() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// fetchedImage is an image ready to go into a book.
type fetchedImage struct {
	data      []byte
	mediaType string
}

// imageTypes are the EPUB 3.2 core image types we embed, by the media type
// http.DetectContentType sniffs, with their file extensions. SVG is left
// out on purpose: it can carry script (and the sniffer never reports it).
// WebP is core only from EPUB 3.3, which the validator and many readers
// in use predate.
var imageTypes = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
}

// fetch gets one image within the time and size limits and checks that it
// is an image of a type the book may carry.
func (f *ImageFetcher) fetch(ctx context.Context, src string) (*fetchedImage, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "image/png, image/jpeg, image/gif")
	req.Header.Set("User-Agent", "Quire (EPUB image fetcher)")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %d", resp.StatusCode)
	}
	if resp.ContentLength > f.opt.MaxBytes {
		return nil, fmt.Errorf("%d bytes, more than the %d allowed", resp.ContentLength, f.opt.MaxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.opt.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > f.opt.MaxBytes {
		return nil, fmt.Errorf("more than the %d bytes allowed", f.opt.MaxBytes)
	}
	// What the bytes are decides, not what the server says they are.
	mediaType := http.DetectContentType(data)
	if _, ok := imageTypes[mediaType]; !ok {
		return nil, fmt.Errorf("content is %s, not PNG, JPEG or GIF", mediaType)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("broken %s: %w", mediaType, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return nil, fmt.Errorf("%d×%d pixels", cfg.Width, cfg.Height)
	}
	return &fetchedImage{data: data, mediaType: mediaType}, nil
}

// fetchAll fetches each of srcs (distinct URLs) a few at a time, and
// returns those that arrived. A failure only leaves its image out. The
// whole set gets three times one image's timeout, so a book of many slow
// images still comes back in bounded time.
func (f *ImageFetcher) fetchAll(ctx context.Context, srcs []string) map[string]*fetchedImage {
	ctx, cancel := context.WithTimeout(ctx, 3*f.opt.Timeout)
	defer cancel()
	got := make(map[string]*fetchedImage, len(srcs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, imageFetchers)
	for _, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			img, err := f.fetch(ctx, src)
			if err != nil {
				if f.opt.Log != nil {
					f.opt.Log.Info("epub image left as a link", "url", src, "err", err)
				}
				return
			}
			mu.Lock()
			got[src] = img
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// bookImages are a book's remote images: the URLs its pages show, in
// order of first appearance, then those embedded, with their files.
type bookImages struct {
	seen     map[string]bool
	order    []string
	embedded map[string]*embeddedImage
	files    []*embeddedImage
}

type embeddedImage struct {
	id, href string // manifest id; path relative to the content documents
	*fetchedImage
}

// note records an image URL a page shows.
func (bi *bookImages) note(src string) {
	if bi.seen == nil {
		bi.seen = map[string]bool{}
	}
	if !bi.seen[src] {
		bi.seen[src] = true
		bi.order = append(bi.order, src)
	}
}

// fetchImages finds the remote images the book's pages show and fetches
// up to the fetcher's limit of them; the writer then embeds those and
// leaves the rest as links.
func (bk *book) fetchImages(ctx context.Context, f *ImageFetcher) {
	bi := &bookImages{}
	bk.images = bi
	for _, p := range bk.pages() { // rendered once only to find the images
		p.render()
	}
	srcs := bi.order
	if len(srcs) > f.opt.MaxImages {
		if f.opt.Log != nil {
			f.opt.Log.Info("epub images over the limit left as links", "work", bk.work.ID, "images", len(srcs), "limit", f.opt.MaxImages)
		}
		srcs = srcs[:f.opt.MaxImages]
	}
	got := f.fetchAll(ctx, srcs)
	bi.embedded = map[string]*embeddedImage{}
	for _, src := range srcs {
		img := got[src]
		if img == nil {
			continue
		}
		n := strconv.Itoa(len(bi.files) + 1)
		e := &embeddedImage{id: "image-" + n, href: "images/image-" + n + imageTypes[img.mediaType], fetchedImage: img}
		bi.embedded[src] = e
		bi.files = append(bi.files, e)
	}
}
