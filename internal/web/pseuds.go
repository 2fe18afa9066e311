package web

import (
	"errors"
	"net/http"
	"net/url"

	"quire/internal/archive"
	"quire/internal/listing"
)

// pseudsPage lists an account's pseuds, with forms for its owner.
type pseudsPage struct {
	Name   string
	Pseuds []archive.Pseud
	Self   bool
}

// pseudURL is a pseud's page.
func pseudURL(user, pseud string) string {
	return "/users/" + url.PathEscape(user) + "/pseuds/" + url.PathEscape(pseud)
}

func init() {
	funcs["pseudURL"] = pseudURL
}

func (srv *Server) pseudsData(r *http.Request) (*pseudsPage, error) {
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	ps, err := srv.site.Pseuds(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	me := currentUser(r)
	return &pseudsPage{Name: u.Name, Pseuds: ps, Self: me != nil && me.ID == u.ID}, nil
}

// GET /users/{name}/pseuds
func (srv *Server) showPseuds(w http.ResponseWriter, r *http.Request) error {
	p, err := srv.pseudsData(r)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "pseuds", pageData{Title: srv.tr(r, "Pseuds of {0}", p.Name), P: p})
	return nil
}

// pseudAction runs a pseud change by the account's owner, then shows the
// pseuds page again (with the error, if any).
func (srv *Server) pseudAction(op func(r *http.Request, u *archive.User) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := currentUser(r)
		if u == nil {
			return archive.ErrAuth
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		owner, err := srv.site.User(r.Context(), r.PathValue("name"))
		if err != nil {
			return err
		}
		if owner.ID != u.ID {
			return archive.ErrForbidden
		}
		if err := op(r, u); err != nil {
			p, perr := srv.pseudsData(r)
			if perr != nil {
				return perr
			}
			return srv.invalidOrConflict(w, r, err, "pseuds", "Pseuds of "+u.Name, p)
		}
		http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/pseuds", http.StatusSeeOther)
		return nil
	}
}

// invalidOrConflict is invalid, with a taken name shown on the form too.
func (srv *Server) invalidOrConflict(w http.ResponseWriter, r *http.Request, err error, page, title string, p any) error {
	if isConflict(err) {
		srv.render(w, r, http.StatusConflict, page, pageData{Title: title, Errors: []string{msg("That name is already taken.")}, P: p})
		return nil
	}
	return srv.invalid(w, r, err, page, title, p)
}

func isConflict(err error) bool { return errors.Is(err, archive.ErrConflict) }

// POST /users/{name}/pseuds
func (srv *Server) createPseud(w http.ResponseWriter, r *http.Request) error {
	return srv.pseudAction(func(r *http.Request, u *archive.User) error {
		_, err := srv.site.CreatePseud(r.Context(), u, r.PostForm.Get("name"))
		return err
	})(w, r)
}

// POST /users/{name}/pseuds/{pseud}/edit
func (srv *Server) renamePseud(w http.ResponseWriter, r *http.Request) error {
	return srv.pseudAction(func(r *http.Request, u *archive.User) error {
		_, err := srv.site.RenamePseud(r.Context(), u, r.PathValue("pseud"), r.PostForm.Get("name"))
		return err
	})(w, r)
}

// POST /users/{name}/pseuds/{pseud}/delete
func (srv *Server) deletePseud(w http.ResponseWriter, r *http.Request) error {
	return srv.pseudAction(func(r *http.Request, u *archive.User) error {
		return srv.site.DeletePseud(r.Context(), u, r.PathValue("pseud"))
	})(w, r)
}

// GET /users/{name}/pseuds/{pseud}: the pseud's works, through the listing
// (so drafts never show and restricted works only to logged-in readers).
// The listing is restricted to the works the pseud is credited on; the
// full-text box is left out here, since it would replace that restriction.
func (srv *Server) pseudWorks(w http.ResponseWriter, r *http.Request) error {
	u, p, err := srv.site.UserPseud(r.Context(), r.PathValue("name"), r.PathValue("pseud"))
	if err != nil {
		return err
	}
	ids, err := srv.site.PseudWorkIDs(r.Context(), p)
	if err != nil {
		return err
	}
	r2 := r.Clone(r.Context())
	v := r2.URL.Query()
	v.Del("q")
	r2.URL.RawQuery = v.Encode()
	heading := srv.tr(r, "Works by {0}", p.Name)
	if p.Name != u.Name {
		heading += " (" + u.Name + ")"
	}
	return srv.list(w, r2, heading, "", func(q *listing.Query) {
		q.CreatorUserID = u.ID
		q.TextIDs = ids
	})
}
