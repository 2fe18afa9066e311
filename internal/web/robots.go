package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// robots.txt and the sitemap (sitemaps.org 0.9): /sitemap.xml is an index
// of /sitemaps/works-N.xml and /sitemaps/chapters-N.xml, each of at most
// Options.SitemapPerFile URLs, naming only what a guest may read.

func (srv *Server) robotsRoutes(mux router) {
	mux.HandleFunc("GET /robots.txt", srv.page(srv.robots))
	mux.HandleFunc("GET /sitemap.xml", srv.page(srv.sitemapIndex))
	mux.HandleFunc("GET /sitemaps/{file}", srv.page(srv.sitemapFile))
}

// robotsRules keep crawlers to public reading pages: not accounts, admin
// pages, forms, search results and filtered listings (endless
// combinations of the same works), or downloads (a crawler fetching every
// EPUB costs the archive far more than a page).
const robotsRules = `User-agent: *
Disallow: /admin/
Disallow: /admin_posts/new
Disallow: /admin_posts/*/edit
Disallow: /account
Disallow: /inbox
Disallow: /login
Disallow: /logout
Disallow: /signup
Disallow: /password_reset
Disallow: /unsubscribe/
Disallow: /searches/
Disallow: /api/
Disallow: /downloads/
Disallow: /works/new
Disallow: /works/import
Disallow: /works/search
Disallow: /works?
Disallow: /works/*/edit
Disallow: /works/*/bookmarks/new
Disallow: /works/*/chapters/new
Disallow: /tags/*/works?
Disallow: /tags/*/edit
Disallow: /tags/search
Disallow: /people/search
Disallow: /bookmarks/search
Disallow: /users/*/works?
Disallow: /users/*/drafts
Disallow: /users/*/readings
Disallow: /users/*/stats
Disallow: /series/new
Disallow: /series/*/edit
`

func (srv *Server) robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(robotsRules + "\nSitemap: " + srv.absURL("/sitemap.xml") + "\n"))
	return nil
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type sitemapIndexXML struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

type urlsetXML struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (srv *Server) sitemapPerFile() int {
	if srv.opt.SitemapPerFile > 0 {
		return srv.opt.SitemapPerFile
	}
	return site.SitemapPerFile
}

func (srv *Server) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	works, chapters, err := srv.site.SitemapFiles(r.Context(), srv.sitemapPerFile())
	if err != nil {
		return err
	}
	idx := sitemapIndexXML{NS: sitemapNS}
	for n := 1; n <= works; n++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapLoc{Loc: srv.absURL("/sitemaps/works-" + strconv.Itoa(n) + ".xml")})
	}
	for _, n := range chapters {
		idx.Sitemaps = append(idx.Sitemaps, sitemapLoc{Loc: srv.absURL("/sitemaps/chapters-" + strconv.Itoa(n) + ".xml")})
	}
	return srv.writeXML(w, r, idx)
}

func (srv *Server) sitemapFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	kind, num, ok := strings.Cut(strings.TrimSuffix(name, ".xml"), "-")
	n, err := strconv.Atoi(num)
	if !ok || !strings.HasSuffix(name, ".xml") || err != nil || n < 1 || strconv.Itoa(n) != num {
		return archive.ErrNotFound
	}
	var urls []site.SitemapURL
	switch kind {
	case "works":
		urls, err = srv.site.SitemapWorks(r.Context(), n, srv.sitemapPerFile())
	case "chapters":
		urls, err = srv.site.SitemapChapters(r.Context(), n, srv.sitemapPerFile())
	default:
		err = archive.ErrNotFound
	}
	if err != nil {
		return err
	}
	set := urlsetXML{NS: sitemapNS}
	for _, u := range urls {
		su := sitemapURL{Loc: srv.absURL(u.Path)}
		if !u.Updated.IsZero() {
			su.LastMod = u.Updated.UTC().Format("2006-01-02T15:04:05Z07:00")
		}
		set.URLs = append(set.URLs, su)
	}
	return srv.writeXML(w, r, set)
}

func (srv *Server) writeXML(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteString("\n")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(buf.Bytes())
	return nil
}
