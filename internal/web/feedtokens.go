package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/site"
)

// Private feed URLs: every feed (/tags/{name}/feed.atom,
// /users/{name}/feed.atom, /works/{id}/feed.atom, /series/{id}/feed.atom)
// takes ?token=… with the reader's secret feed token, shown and replaced on
// /account/mutes. A token nobody has is a 403 with a plain message, never
// another reader's view and never the anonymous feed.

// feedReader is the reader the request's feed token names (nil without a
// token); on a bad token it has answered the request and ok is false.
func (srv *Server) feedReader(w http.ResponseWriter, r *http.Request) (u *archive.User, ok bool) {
	q := r.URL.Query()
	if !q.Has("token") {
		return nil, true
	}
	u, err := srv.site.FeedReader(r.Context(), q.Get("token"))
	if err == nil && u == nil {
		err = site.ErrBadFeedToken // ?token= with nothing in it
	}
	if errors.Is(err, site.ErrBadFeedToken) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "403 Forbidden: "+err.Error()+".", http.StatusForbidden)
		return nil, false
	}
	if err != nil {
		srv.fail(w, r, err)
		return nil, false
	}
	return u, true
}

// feedTokenQuery is the query a private feed's self link keeps.
func feedTokenQuery(u *archive.User, r *http.Request) string {
	if u == nil {
		return ""
	}
	return "?" + url.Values{"token": {r.URL.Query().Get("token")}}.Encode()
}

// seriesFeed lists the works of a series the reader may see, most recently
// updated first, each titled with its part number.
func (srv *Server) seriesFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reader, ok := srv.feedReader(w, r)
	if !ok {
		return nil
	}
	v, parts, err := srv.site.SeriesFeed(r.Context(), reader, id)
	if err != nil {
		return err
	}
	sort.SliceStable(parts, func(i, j int) bool {
		a, b := later(parts[i].Work.UpdatedAt, parts[i].Work.PostedAt), later(parts[j].Work.UpdatedAt, parts[j].Work.PostedAt)
		if !a.Equal(b) {
			return a.After(b)
		}
		return parts[i].Position > parts[j].Position
	})
	seriesPath := "/series/" + strconv.FormatInt(v.ID, 10)
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + seriesPath + "/feed"),
		Title:   srv.site.Name + ": series " + v.Title,
		SelfURL: srv.absURL(seriesPath+"/feed.atom") + feedTokenQuery(reader, r),
		AltURL:  srv.absURL(seriesPath),
	}
	for _, p := range parts {
		if len(f.Entries) == feedEntries {
			break
		}
		e := srv.workEntry(p.Work)
		e.Title = "Part " + strconv.Itoa(p.Position) + ": " + p.Work.Title
		f.Entries = append(f.Entries, e)
	}
	return srv.writeFeed(w, r, f)
}

// feedTokenPart is the private feed section of the mutes page.
type feedTokenPart struct {
	Token string // "" before the reader makes one
	// Query is what to add to any feed link (?token=…); UserFeed is one
	// example, the reader's own works.
	Query    string
	UserFeed string
}

func (srv *Server) feedTokenPart(r *http.Request, u *archive.User) (*feedTokenPart, error) {
	token, err := srv.site.FeedToken(r.Context(), u)
	if err != nil || token == "" {
		return &feedTokenPart{}, err
	}
	q := "?" + url.Values{"token": {token}}.Encode()
	return &feedTokenPart{Token: token, Query: q, UserFeed: srv.absURL("/users/"+url.PathEscape(u.Name)+"/feed.atom") + q}, nil
}

// POST /account/feed_token makes the reader's feed token, or replaces it.
func (srv *Server) newFeedToken(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if _, err := srv.site.NewFeedToken(r.Context(), u); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/mutes?feed_token=new#feed-token", http.StatusSeeOther)
	return nil
}
