package web

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// Related works: the work form's rows, the links on the work page (work.go
// asks site.Relations), and the page where a work's creators approve or
// remove the links naming it.

func (srv *Server) relatedRoutes(mux router) {
	mux.HandleFunc("GET /account/related_works", srv.loggedIn(srv.relatedWorksPage))
	mux.HandleFunc("POST /works/{id}/related/{child}", srv.loggedIn(srv.answerRelated))
}

// relatedFormRows fills the form's related-work rows: those posted, or
// the work's, then a blank row or two while the limit allows.
func (srv *Server) relatedFormRows(r *http.Request, f *workForm, work *archive.Work) {
	if _, posted := f.V["related_rows"]; posted {
		f.Related = f.relatedRows()
	} else if work != nil {
		links, err := srv.site.RelatedInputs(r.Context(), work)
		if err == nil {
			for i, l := range links {
				f.Related = append(f.Related, relatedRow{N: i + 1, Kind: l.Kind, URL: l.URL, Title: l.Title, Creator: l.Creator})
			}
		}
	}
	var kept []relatedRow
	for _, row := range f.Related {
		if row.URL != "" || row.Title != "" || row.Creator != "" {
			row.N = len(kept) + 1
			kept = append(kept, row)
		}
	}
	for target := min(archive.MaxRelatedPerWork, max(len(kept)+1, 2)); len(kept) < target; {
		kept = append(kept, relatedRow{N: len(kept) + 1, Kind: archive.RelatedInspiredBy})
	}
	f.Related = kept
}

type relatedWorksPage struct {
	Links []site.RelatedLink
}

// GET /account/related_works: the links naming one's works.
func (srv *Server) relatedWorksPage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	links, err := srv.site.MyRelatedLinks(r.Context(), u)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "related_works", pageData{Title: "Works related to yours", P: &relatedWorksPage{Links: links}})
	return nil
}

// POST /works/{id}/related/{child} state=approved|rejected.
func (srv *Server) answerRelated(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	parent, err := pathID(r, "id")
	if err != nil {
		return err
	}
	child, err := pathID(r, "child")
	if err != nil {
		return err
	}
	if err := srv.site.AnswerRelated(r.Context(), u, parent, child, r.PostFormValue("state")); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/related_works#work-"+strconv.FormatInt(child, 10), http.StatusSeeOther)
	return nil
}
