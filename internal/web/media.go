package web

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// GET /media: every medium with its most popular fandoms.
func (srv *Server) media(w http.ResponseWriter, r *http.Request) error {
	ms := srv.site.MediaDirectory(r.Context(), currentUser(r))
	srv.render(w, r, http.StatusOK, "media", pageData{Title: "Fandoms", P: ms})
	return nil
}

// letterGroup is one letter of a medium's A–Z list.
type letterGroup struct {
	Letter  string
	Fandoms []site.FandomCount
}

// ID is the letter's anchor ("#" reads badly in a URL).
func (g letterGroup) ID() string {
	if g.Letter == "#" {
		return "letter-other"
	}
	return "letter-" + g.Letter
}

type mediumPage struct {
	*site.Medium
	Letters []letterGroup
}

// GET /media/{name}/fandoms: a medium's fandoms A–Z, with a letter index.
func (srv *Server) mediumFandoms(w http.ResponseWriter, r *http.Request) error {
	m, err := srv.site.MediumFandoms(r.Context(), currentUser(r), archive.UnescapeTagURL(r.PathValue("name")))
	if err != nil {
		return err
	}
	p := &mediumPage{Medium: m}
	for _, f := range m.Fandoms {
		l := site.IndexLetter(f.Name)
		if n := len(p.Letters); n == 0 || p.Letters[n-1].Letter != l {
			p.Letters = append(p.Letters, letterGroup{Letter: l})
		}
		p.Letters[len(p.Letters)-1].Fandoms = append(p.Letters[len(p.Letters)-1].Fandoms, f)
	}
	srv.render(w, r, http.StatusOK, "medium_fandoms", pageData{Title: srv.tr(r, "{0} fandoms", srv.tr(r, m.Name)), P: p})
	return nil
}
