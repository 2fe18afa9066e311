package web

import (
	"net/http"
	"strconv"
	"time"

	"quire/internal/archive"
)

// The site banner shows on every page until the reader dismisses it. The
// dismissal is a cookie holding the banner's version (a plain form, no
// script), so a new banner, with a higher version, shows again.

const bannerCookie = "quire_banner"

// bannerFor is the banner r's reader should see: Active false when there
// is none or they dismissed this one.
func (srv *Server) bannerFor(r *http.Request) archive.Banner {
	b := srv.site.Banner(r.Context())
	if !b.Active() {
		return archive.Banner{}
	}
	if c, err := r.Cookie(bannerCookie); err == nil && c.Value == strconv.FormatInt(b.Version, 10) {
		return archive.Banner{}
	}
	return b
}

// dismissBanner (POST /banner/dismiss, version, return_to) remembers the
// dismissed version for a year.
func (srv *Server) dismissBanner(w http.ResponseWriter, r *http.Request) {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v <= 0 {
		srv.render(w, r, http.StatusUnprocessableEntity, "error", pageData{Title: "Unknown banner", P: "That banner is not one this archive showed."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: bannerCookie, Value: strconv.FormatInt(v, 10), Path: "/", HttpOnly: true,
		Secure: srv.opt.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(365 * 24 * time.Hour / time.Second)})
	http.Redirect(w, r, safeReturn(r.PostFormValue("return_to")), http.StatusSeeOther)
}

// bannerForm is the admins' page for the banner.
type bannerForm struct {
	Current archive.Banner
	Text    string
	Format  string
}

func (srv *Server) bannerAdmin(w http.ResponseWriter, r *http.Request) {
	if _, ok := srv.newsAdmin(w, r); !ok {
		return
	}
	b := srv.site.Banner(r.Context())
	srv.render(w, r, http.StatusOK, "banner_form", pageData{Title: "Site banner",
		P: &bannerForm{Current: b, Text: b.Text.Source, Format: string(formatOf(string(b.Text.Format)))}})
}

func (srv *Server) setBanner(w http.ResponseWriter, r *http.Request) {
	u, ok := srv.newsAdmin(w, r)
	if !ok {
		return
	}
	f := &bannerForm{Text: r.PostFormValue("text"), Format: string(formatOf(r.PostFormValue("format")))}
	b, err := srv.site.SetBanner(r.Context(), u, f.Text, f.Format)
	if err != nil {
		f.Current = srv.site.Banner(r.Context())
		srv.invalid(w, r, err, "banner_form", "Site banner", f)
		return
	}
	f.Current = b
	msg := "The banner is set: every page shows it until a reader dismisses it."
	if !b.Active() {
		msg = "The banner is removed."
	}
	srv.render(w, r, http.StatusOK, "banner_form", pageData{Title: "Site banner", Message: msg, P: f})
}
