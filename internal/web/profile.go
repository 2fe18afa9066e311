package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"quire/internal/archive"
	"quire/internal/httperr"
	"quire/internal/listing"
	"quire/internal/site"
)

// profileRoutes are the profile's pages: the user page's series tab, the
// bio form and the blocked-users page (issues 13 and 14).
func (srv *Server) profileRoutes(mux router) {
	mux.HandleFunc("GET /users/{name}/series", srv.page(srv.userSeries))
	mux.HandleFunc("GET /users/{name}/profile", srv.page(srv.profileRedirect))
	mux.HandleFunc("GET /account/profile", srv.loggedIn(srv.profileForm))
	mux.HandleFunc("POST /account/profile", srv.loggedIn(srv.saveProfile))
	mux.HandleFunc("GET /account/blocked", srv.loggedIn(srv.blockedPage))
	mux.HandleFunc("POST /account/blocked", srv.loggedIn(srv.blockUser))
	mux.HandleFunc("POST /account/blocked/{name}/delete", srv.loggedIn(srv.unblockUser))
}

// userPage is a creator's profile: bio, tabs and their recent works.
type userPage struct {
	Name       string
	Tab        string // the tab shown: "" for the profile itself, "series"
	Pseuds     []archive.Pseud
	Bio        archive.Rich
	Works      *site.Listing
	Series     []*site.SeriesView
	Self       bool
	Subscribed bool // the reader follows this creator
	Blocked    bool // the reader blocked this account
}

// profile loads what every tab of a user page shows.
func (srv *Server) profile(r *http.Request, tab string) (*userPage, error) {
	ctx := r.Context()
	u, err := srv.site.User(ctx, r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	me := currentUser(r)
	p := &userPage{Name: u.Name, Tab: tab, Self: me != nil && me.ID == u.ID}
	if p.Pseuds, err = srv.site.Pseuds(ctx, u.ID); err != nil {
		return nil, err
	}
	if p.Bio, err = srv.site.Bio(ctx, me, u); err != nil {
		return nil, err
	}
	if p.Series, err = srv.site.UserSeries(ctx, me, u); err != nil {
		return nil, err
	}
	if me != nil && !p.Self {
		p.Subscribed = srv.site.IsSubscribed(ctx, me, "user", u.ID)
		blocked, err := srv.site.BlockedUsers(ctx, me)
		if err != nil {
			return nil, err
		}
		p.Blocked = slices.ContainsFunc(blocked, func(n string) bool { return strings.EqualFold(n, u.Name) })
	}
	if p.Works, err = srv.site.List(ctx, me, listing.Query{CreatorUserID: u.ID, PerPage: 5}); err != nil {
		return nil, err
	}
	return p, nil
}

// GET /users/{name}: the profile with its bio and recent works.
func (srv *Server) showUser(w http.ResponseWriter, r *http.Request) error {
	p, err := srv.profile(r, "")
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "user", pageData{Title: p.Name, P: p})
	return nil
}

// GET /users/{name}/series: the series the account created that the
// reader may see.
func (srv *Server) userSeries(w http.ResponseWriter, r *http.Request) error {
	p, err := srv.profile(r, "series")
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "user", pageData{Title: srv.tr(r, "Series by {0}", p.Name), P: p})
	return nil
}

// GET /users/{name}/profile: AO3's profile URL; ours is the user page.
func (srv *Server) profileRedirect(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/users/"+url.PathEscape(r.PathValue("name")), http.StatusMovedPermanently)
	return nil
}

type profileForm struct {
	Bio string
	Max int
}

// GET /account/profile: the bio form.
func (srv *Server) profileForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	bio, err := srv.site.Bio(r.Context(), u, u)
	if err != nil {
		return err
	}
	flash := ""
	if r.URL.Query().Get("saved") != "" {
		flash = msg("Your profile has been saved.")
	}
	w.Header().Set("Cache-Control", "private, no-store")
	srv.render(w, r, http.StatusOK, "profile_form", pageData{Title: "Edit profile", Message: flash, P: profileForm{Bio: bio.Source, Max: archive.MaxBioLength}})
	return nil
}

// POST /account/profile (bio): a refused bio comes back in the form with
// the message, and nothing is saved.
func (srv *Server) saveProfile(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	src := r.PostFormValue("bio")
	if _, err := srv.site.SetBio(r.Context(), u, src, archive.FormatHTML); err != nil {
		return srv.invalid(w, r, err, "profile_form", "Edit profile", profileForm{Bio: src, Max: archive.MaxBioLength})
	}
	http.Redirect(w, r, "/account/profile?saved=1", http.StatusSeeOther)
	return nil
}

type blockedPage struct {
	Names []string
	Name  string // the name the form was sent with, when refused
}

// GET /account/blocked: whom the reader blocked, each with its undo, and a
// form to block someone by name.
func (srv *Server) blockedPage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	names, err := srv.site.BlockedUsers(r.Context(), u)
	if err != nil {
		return err
	}
	flash := ""
	switch {
	case r.URL.Query().Get("blocked") != "":
		flash = srv.tr(r, "You have blocked {0}.", r.URL.Query().Get("blocked"))
	case r.URL.Query().Get("unblocked") != "":
		flash = srv.tr(r, "You have unblocked {0}.", r.URL.Query().Get("unblocked"))
	}
	w.Header().Set("Cache-Control", "private, no-store")
	srv.render(w, r, http.StatusOK, "blocked", pageData{Title: "Blocked users", Message: flash, P: blockedPage{Names: names}})
	return nil
}

// blockReturn is where a block form sends the reader back: a user page, or
// the blocked-users page.
func blockReturn(r *http.Request, key, name string) string {
	rt := localPath(r.PostFormValue("return_to"), "/account/blocked")
	if !strings.HasPrefix(rt, "/users/") {
		rt = "/account/blocked"
	}
	return withParam(rt, key, name)
}

// POST /account/blocked (name, return_to): from the blocked-users page or a
// user's page.
func (srv *Server) blockUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	name := r.PostFormValue("name")
	target, err := srv.site.Block(r.Context(), u, name)
	if err != nil {
		names, lerr := srv.site.BlockedUsers(r.Context(), u)
		if lerr != nil {
			return lerr
		}
		p := blockedPage{Names: names, Name: name}
		var ex *archive.Explained
		if errors.As(err, &ex) && isConflict(err) {
			srv.render(w, r, http.StatusConflict, "blocked", pageData{Title: "Blocked users", Errors: []string{httperr.Classify(ex).Text(srv.readerOf(r).loc)}, P: p})
			return nil
		}
		return srv.invalid(w, r, err, "blocked", "Blocked users", p)
	}
	http.Redirect(w, r, blockReturn(r, "blocked", target.Name), http.StatusSeeOther)
	return nil
}

// POST /account/blocked/{name}/delete (return_to): the undo.
func (srv *Server) unblockUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	name := r.PathValue("name")
	if err := srv.site.Unblock(r.Context(), u, name); err != nil {
		return err
	}
	http.Redirect(w, r, blockReturn(r, "unblocked", name), http.StatusSeeOther)
	return nil
}
