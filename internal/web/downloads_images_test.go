package web_test

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"quire/internal/formats"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// With --epub-fetch-images the EPUB carries the work's remote images; the
// option is fixed for the process and part of the version key, so a
// restart that changes it changes the ETag.
func TestDownloadFetchesImages(t *testing.T) {
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	imgs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(pic.Bytes())
	}))
	defer imgs.Close()
	src := imgs.URL + "/lighthouse.png"

	dir := testdb.Location(t)
	// AllowLoopback is for tests only: the image server is on 127.0.0.1.
	fetcher := formats.NewImageFetcher(formats.ImageOptions{AllowLoopback: true})
	r := openRig(t, dir, web.Options{EPUBImages: fetcher})
	author := r.browser()
	author.signup("keeper")
	path := author.postWork(url.Values{"title": {"Harbor Pictures"},
		"body": {`<p>Look:</p><p><img src="` + src + `" alt="a lighthouse"></p>`}})
	id := workID(path)

	guest := r.browser()
	first := guest.fetch("/downloads/"+id+"/x.epub", nil).want(t, 200)
	files := epubFiles(t, first.body)
	if files["OEBPS/images/image-1.png"] != pic.String() {
		t.Fatal("the EPUB does not carry the image")
	}
	if ch := files["OEBPS/chapter-1.xhtml"]; !strings.Contains(ch, `<img src="images/image-1.png" alt="a lighthouse"/>`) || strings.Contains(ch, imgs.URL) {
		t.Fatalf("the chapter does not show the embedded image:\n%s", ch)
	}
	if !strings.Contains(files["OEBPS/content.opf"], `href="images/image-1.png" media-type="image/png"`) {
		t.Fatal("the manifest lacks the image")
	}
	// Cached per version: a second download fetches nothing.
	again := guest.fetch("/downloads/"+id+"/x.epub", nil).want(t, 200)
	if hits.Load() != 1 || !bytes.Equal(again.body, first.body) {
		t.Fatalf("image fetched %d times for two downloads of one version", hits.Load())
	}
	// The HTML download is unchanged: no image, a link.
	html := guest.fetch("/downloads/"+id+"/x.html", nil).want(t, 200)
	if bytes.Contains(html.body, []byte("<img")) || !bytes.Contains(html.body, []byte(`[Image: a lighthouse]`)) {
		t.Fatal("the HTML download changed with the EPUB option")
	}

	// The same archive served without the option: links again, another ETag.
	r2 := openRig(t, dir, web.Options{})
	off := r2.browser().fetch("/downloads/"+id+"/x.epub", nil).want(t, 200)
	if off.header.Get("ETag") == first.header.Get("ETag") {
		t.Fatal("the ETag does not change with the image option")
	}
	offFiles := epubFiles(t, off.body)
	if _, ok := offFiles["OEBPS/images/image-1.png"]; ok || !strings.Contains(offFiles["OEBPS/chapter-1.xhtml"], `[Image: a lighthouse]`) {
		t.Fatal("without the option the image is not a link")
	}
	if hits.Load() != 1 {
		t.Fatal("the image was fetched with the option off")
	}
}
