package web

import (
	"net/http"
	"path"
	"strconv"

	"quire/internal/archive"
)

// legacyParams names, per page of an eFiction site, the query parameter
// that identifies the item (an imported archive's old URLs).
var legacyParams = map[string]string{
	"viewstory.php":  "sid",
	"viewuser.php":   "uid",
	"viewseries.php": "seriesid",
}

// legacyOrNotFound answers every path no route claims: an imported
// archive's old URL (/viewstory.php?sid=N, also under the directory the
// site lived in, and with &chapter=K) redirects permanently to its new
// place; anything else is a 404.
func (srv *Server) legacyOrNotFound(w http.ResponseWriter, r *http.Request) error {
	if to := srv.legacyTarget(r); to != "" {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return nil
	}
	return archive.ErrNotFound
}

func (srv *Server) legacyTarget(r *http.Request) string {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return ""
	}
	base := path.Base(r.URL.Path)
	param, ok := legacyParams[base]
	if !ok {
		return ""
	}
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get(param), 10, 64)
	if err != nil || id <= 0 {
		return ""
	}
	var chapter int64
	if param == "sid" {
		chapter, _ = strconv.ParseInt(q.Get("chapter"), 10, 64)
	}
	// The exact path first (the site's own directory), then the page at
	// the root; with a chapter first, then the story.
	paths := []string{r.URL.Path}
	if p := "/" + base; p != r.URL.Path {
		paths = append(paths, p)
	}
	chapters := []int64{0}
	if chapter > 0 {
		chapters = []int64{chapter, 0}
	}
	for _, p := range paths {
		for _, ch := range chapters {
			key := p + "?" + param + "=" + strconv.FormatInt(id, 10)
			if ch > 0 {
				key += "&chapter=" + strconv.FormatInt(ch, 10)
			}
			to, err := srv.site.Redirect(r.Context(), key)
			if err == nil && archive.IsLocalPath(to) {
				return to
			}
		}
	}
	return ""
}
