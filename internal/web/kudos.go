package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/site"
)

// guestCookie is a random id for a guest: with the client address (both
// hashed, never stored as they are) it tells guests apart for kudos and hits.
const guestCookie = "quire_guest"

// visitor is who reads: the logged-in user, or a guest by cookie and
// address. A guest without the cookie gets one.
func (srv *Server) visitor(w http.ResponseWriter, r *http.Request) site.Visitor {
	v := site.Visitor{User: currentUser(r), Address: srv.opt.ClientIP(r)}
	if c, err := r.Cookie(guestCookie); err == nil && c.Value != "" && len(c.Value) <= 100 {
		v.Cookie = c.Value
	} else if v.User == nil {
		token, _ := site.NewSecret()
		v.Cookie = token
		http.SetCookie(w, &http.Cookie{Name: guestCookie, Value: token, Path: "/", HttpOnly: true, Secure: srv.opt.SecureCookies,
			SameSite: http.SameSiteLaxMode, MaxAge: int(365 * 24 * time.Hour / time.Second)})
	}
	return v
}

// kudosPart is the kudos button and the line naming who left kudos.
type kudosPart struct {
	Work     *archive.Work
	Users    []string
	Guests   int64
	CanGive  bool
	Given    bool // the logged-in reader has left kudos already
	ReturnTo string
}

func (srv *Server) kudosView(r *http.Request, work *archive.Work) (*kudosPart, error) {
	u := currentUser(r)
	g, err := srv.site.KudosGivers(r.Context(), u, work.ID)
	if err != nil {
		return nil, err
	}
	given := false
	if u != nil {
		for _, name := range g.Users {
			given = given || name == u.Name
		}
	}
	// The return path leaves out the notice of a kudos just given.
	q := r.URL.Query()
	q.Del("kudos")
	back := r.URL.Path
	if len(q) > 0 {
		back += "?" + q.Encode()
	}
	return &kudosPart{Work: work, Users: g.Users, Guests: g.Guests, ReturnTo: back, Given: given,
		CanGive: !work.Draft && !given && !(u != nil && work.HasCreatorUser(u.ID))}, nil
}

// returnTo is where a form on the reading page sends the reader back to:
// a path on this work, never elsewhere.
func returnTo(r *http.Request, workID int64) string {
	base := fmt.Sprintf("/works/%d", workID)
	rt := localPath(r.PostFormValue("return_to"), base)
	if rt == base || strings.HasPrefix(rt, base+"/") || strings.HasPrefix(rt, base+"?") {
		return rt
	}
	return base
}

// POST /works/{id}/kudos
func (srv *Server) giveKudos(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	done := "thanks"
	if _, err := srv.site.GiveKudos(r.Context(), srv.visitor(w, r), id); errors.Is(err, site.ErrKudosRepeat) {
		// A second click (another tab, a back button) is no dead end: back
		// to the work, which says so.
		done = "again"
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, withParam(returnTo(r, id), "kudos", done)+"#kudos", http.StatusSeeOther)
	return nil
}

// withParam adds key=value to a local path's query.
func withParam(path, key, value string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + url.QueryEscape(key) + "=" + url.QueryEscape(value)
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	first, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(first)) + s[n:]
	switch last, _ := utf8.DecodeLastRuneInString(s); {
	case strings.ContainsRune(".。!！?？؟", last):
	case last >= 0x3000 && last <= 0x9fff: // a Chinese or Japanese sentence
		s += "。"
	default:
		s += "."
	}
	return s
}
