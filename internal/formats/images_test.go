package formats_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 13), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imageServer serves fixed bodies by path and counts requests.
type imageServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newImageServer(t *testing.T, routes map[string]http.HandlerFunc) *imageServer {
	t.Helper()
	s := &imageServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		h, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *imageServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *imageServer) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

func serveBytes(ct string, b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(b)
	}
}

// imageWork is a work whose chapters show the given image URLs.
func imageWork(srcs ...string) fixture {
	w := baseWork(40, "Pictures at the Harbor", "en")
	var body strings.Builder
	body.WriteString("<p>The keepers kept a scrapbook.</p>\n")
	for i, src := range srcs {
		fmt.Fprintf(&body, "<p>Picture %d: <img src=%q alt=\"picture %d\"></p>\n", i+1, src, i+1)
	}
	return fixture{name: "images", work: w, chapters: []*archive.Chapter{
		chapter(401, 1, "Scrapbook", rich(body.String())),
	}}
}

func fetchEPUB(t *testing.T, f fixture, fetcher *formats.ImageFetcher) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.EPUBWithImages(context.Background(), &buf, f.work, f.chapters, site(f.work.ID), fetcher); err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, buf.Bytes())
	return files
}

func loopbackFetcher(opt formats.ImageOptions) *formats.ImageFetcher {
	opt.AllowLoopback = true
	return formats.NewImageFetcher(opt)
}

// assertLinked checks that the image at src stayed alt text with a link.
func assertLinked(t *testing.T, files map[string]string, src, alt string) {
	t.Helper()
	ch := files["OEBPS/chapter-1.xhtml"]
	want := `<a class="remote-image" href="` + src + `">[Image: ` + alt + `]</a>`
	if !strings.Contains(ch, want) {
		t.Fatalf("chapter lacks %s:\n%s", want, ch)
	}
	for name := range files {
		if strings.HasPrefix(name, "OEBPS/images/") {
			t.Fatalf("unexpected embedded file %s", name)
		}
	}
	if strings.Contains(files["OEBPS/content.opf"], "images/") {
		t.Fatalf("manifest lists an image:\n%s", files["OEBPS/content.opf"])
	}
}

func TestEPUBEmbedsFetchedImages(t *testing.T) {
	pic, anim := pngBytes(t, 24, 16), gifBytes(t)
	srv := newImageServer(t, map[string]http.HandlerFunc{
		// The header lies; the bytes decide.
		"/pic.png":  serveBytes("application/octet-stream", pic),
		"/anim.gif": serveBytes("", anim),
	})
	// The PNG twice: fetched once, embedded once, shown twice.
	f := imageWork(srv.URL+"/pic.png", srv.URL+"/anim.gif", srv.URL+"/pic.png")
	// An image inside a link is embedded too (the end notes come last).
	f.work.EndNotes = rich(`<p><a href="https://example.org/full">` + `<img src="` + srv.URL + `/anim.gif" alt="small"></a></p>`)
	var buf bytes.Buffer
	err := formats.EPUBWithImages(context.Background(), &buf, f.work, f.chapters, site(f.work.ID), loopbackFetcher(formats.ImageOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, buf.Bytes())
	if srv.count("/pic.png") != 1 || srv.count("/anim.gif") != 1 {
		t.Fatalf("fetched %d and %d times, want once each", srv.count("/pic.png"), srv.count("/anim.gif"))
	}
	if got := files["OEBPS/images/image-1.png"]; got != string(pic) {
		t.Fatalf("image-1.png holds %d bytes, want the served PNG", len(got))
	}
	if got := files["OEBPS/images/image-2.gif"]; got != string(anim) {
		t.Fatalf("image-2.gif holds %d bytes, want the served GIF", len(got))
	}
	opf := files["OEBPS/content.opf"]
	for _, want := range []string{
		`<item id="image-1" href="images/image-1.png" media-type="image/png"/>`,
		`<item id="image-2" href="images/image-2.gif" media-type="image/gif"/>`,
	} {
		if !strings.Contains(opf, want) {
			t.Fatalf("manifest lacks %s:\n%s", want, opf)
		}
	}
	ch := files["OEBPS/chapter-1.xhtml"]
	if n := strings.Count(ch, `<img src="images/image-1.png" alt="picture `); n != 2 {
		t.Fatalf("chapter shows the PNG %d times, want 2:\n%s", n, ch)
	}
	if !strings.Contains(ch, `<img src="images/image-2.gif" alt="picture 2"/>`) {
		t.Fatalf("chapter lacks the GIF:\n%s", ch)
	}
	if !strings.Contains(files["OEBPS/afterword.xhtml"], `<a href="https://example.org/full"><img src="images/image-2.gif" alt="small"/></a>`) {
		t.Fatalf("end notes lack the linked image:\n%s", files["OEBPS/afterword.xhtml"])
	}
	for name, data := range files {
		if strings.HasSuffix(name, ".xhtml") && strings.Contains(data, srv.URL) {
			t.Fatalf("%s still points at the image server", name)
		}
	}
	// The same answers give the same bytes.
	var again bytes.Buffer
	if err := formats.EPUBWithImages(context.Background(), &again, f.work, f.chapters, site(f.work.ID), loopbackFetcher(formats.ImageOptions{})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("two builds from the same answers differ")
	}
	epubcheckClean(t, "embedded-images", buf.Bytes())
}

func TestEPUBImageFallbacks(t *testing.T) {
	pic := pngBytes(t, 64, 64)
	release := make(chan struct{})
	srv := newImageServer(t, map[string]http.HandlerFunc{
		"/big.png": serveBytes("image/png", pic),
		// No Content-Length: the cap has to hold while reading.
		"/big-chunked.png": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			for i := 0; i < len(pic); i += 100 {
				w.Write(pic[i:min(i+100, len(pic))])
				w.(http.Flusher).Flush()
			}
		},
		"/stall.png": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(pic[:50])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		},
		"/page.png":    serveBytes("image/png", []byte("<!DOCTYPE html><html><body>not an image</body></html>")),
		"/drawing.svg": serveBytes("image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)),
		"/broken.png":  serveBytes("image/png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 40)...)),
		"/gone.png":    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) },
		"/loop.png":    func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop.png", http.StatusFound) },
	})
	defer close(release) // before the server closes (cleanups run later)

	cases := []struct {
		name, path string
		opt        formats.ImageOptions
	}{
		{"over the cap", "/big.png", formats.ImageOptions{MaxBytes: int64(len(pic)) - 1}},
		{"over the cap while reading", "/big-chunked.png", formats.ImageOptions{MaxBytes: 200}},
		{"stalled past the timeout", "/stall.png", formats.ImageOptions{Timeout: 300 * time.Millisecond}},
		{"not an image", "/page.png", formats.ImageOptions{}},
		{"SVG refused", "/drawing.svg", formats.ImageOptions{}},
		{"broken PNG", "/broken.png", formats.ImageOptions{}},
		{"HTTP error", "/gone.png", formats.ImageOptions{}},
		{"too many redirects", "/loop.png", formats.ImageOptions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := srv.URL + c.path
			start := time.Now()
			files := fetchEPUB(t, imageWork(src), loopbackFetcher(c.opt))
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("the build took %v", d)
			}
			assertLinked(t, files, src, "picture 1")
		})
	}
	if n := srv.count("/loop.png"); n != 4 {
		t.Fatalf("the redirect loop was followed %d times, want 4 requests (3 redirects)", n)
	}
	if n := srv.count("/big.png"); n != 1 {
		t.Fatalf("/big.png requested %d times", n)
	}
}

func TestEPUBImageCount(t *testing.T) {
	pic := pngBytes(t, 2, 2)
	routes := map[string]http.HandlerFunc{}
	var srcs []string
	srv := newImageServer(t, routes)
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("/%d.png", i)
		routes[p] = serveBytes("image/png", pic)
		srcs = append(srcs, srv.URL+p)
	}
	files := fetchEPUB(t, imageWork(srcs...), loopbackFetcher(formats.ImageOptions{MaxImages: 3}))
	ch := files["OEBPS/chapter-1.xhtml"]
	for i := 1; i <= 3; i++ {
		if !strings.Contains(ch, fmt.Sprintf(`<img src="images/image-%d.png" alt="picture %d"/>`, i, i)) {
			t.Fatalf("image %d not embedded:\n%s", i, ch)
		}
	}
	if !strings.Contains(ch, `<a class="remote-image" href="`+srcs[3]+`">[Image: picture 4]</a>`) {
		t.Fatalf("the fourth image is not a link:\n%s", ch)
	}
	if srv.count("/4.png") != 0 {
		t.Fatal("an image over the count was fetched")
	}
	epubcheckClean(t, "image-count", epubBytesWith(t, imageWork(srcs...), loopbackFetcher(formats.ImageOptions{MaxImages: 3})))
}

func TestEPUBImageLoopbackRefused(t *testing.T) {
	srv := newImageServer(t, map[string]http.HandlerFunc{"/pic.png": serveBytes("image/png", pngBytes(t, 2, 2))})
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	// By address and by a name that resolves to it: the check is on the
	// address dialled, not on the URL.
	for _, src := range []string{srv.URL + "/pic.png", "http://localhost:" + port + "/pic.png"} {
		files := fetchEPUB(t, imageWork(src), formats.NewImageFetcher(formats.ImageOptions{}))
		assertLinked(t, files, src, "picture 1")
	}
	if n := srv.total(); n != 0 {
		t.Fatalf("the loopback server got %d requests", n)
	}
	// Nor does a public server's redirect lead back in: here the first hop
	// is allowed by the test option and the redirect target is a private
	// address, refused at dial time.
	redir := newImageServer(t, map[string]http.HandlerFunc{"/r.png": func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.255.255.1/x.png", http.StatusFound)
	}})
	start := time.Now()
	files := fetchEPUB(t, imageWork(redir.URL+"/r.png"), loopbackFetcher(formats.ImageOptions{Timeout: 5 * time.Second}))
	assertLinked(t, files, redir.URL+"/r.png", "picture 1")
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the refused redirect took %v: was it dialled?", d)
	}
}

func TestEPUBImagesOffByDefault(t *testing.T) {
	srv := newImageServer(t, map[string]http.HandlerFunc{"/pic.png": serveBytes("image/png", pngBytes(t, 2, 2))})
	f := imageWork(srv.URL + "/pic.png")
	for _, files := range []map[string]string{fetchEPUB(t, f, nil), unzipFiles(t, epubBytes(t, f))} {
		assertLinked(t, files, srv.URL+"/pic.png", "picture 1")
	}
	if n := srv.total(); n != 0 {
		t.Fatalf("the image server got %d requests with fetching off", n)
	}
}

func unzipFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	_, files := unzip(t, b)
	return files
}

func epubBytesWith(t *testing.T, f fixture, fetcher *formats.ImageFetcher) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.EPUBWithImages(context.Background(), &buf, f.work, f.chapters, site(f.work.ID), fetcher); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// epubcheckClean runs the reference validator on one book (skipping where
// it is not installed) and fails on any fatal, error or warning.
func epubcheckClean(t *testing.T, name string, book []byte) {
	t.Helper()
	if _, err := os.Stat(epubcheckJar); err != nil {
		t.Logf("epubcheck not installed; %s not validated", name)
		return
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Logf("java not on PATH; %s not validated", name)
		return
	}
	path := filepath.Join(t.TempDir(), name+".epub")
	if err := os.WriteFile(path, book, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", epubcheckJar, path).CombinedOutput()
	m := epubcheckSummary.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s: epubcheck printed no summary:\n%s", name, out)
	}
	if m[1] != "0" || m[2] != "0" || m[3] != "0" {
		t.Fatalf("%s: epubcheck found %s fatal, %s errors, %s warnings:\n%s", name, m[1], m[2], m[3], out)
	}
}
