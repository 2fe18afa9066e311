package web

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"quire/internal/archive"
)

// The site banner shows on every page until the reader dismisses it. The
// dismissal is a cookie naming the banner (bannerKey: its version and
// time; a plain form, no script), so a new banner shows again.

const bannerCookie = "quire_banner"

// siteBanner is the banner a page shows, with the key its dismiss form sends.
type siteBanner struct {
	archive.Banner
	Key string
}

// bannerFor is the banner r's reader should see: Active false when there
// is none or they dismissed this one.
func (srv *Server) bannerFor(r *http.Request) siteBanner {
	b := srv.site.Banner(r.Context())
	if !b.Active() {
		return siteBanner{}
	}
	key := bannerKey(b)
	if c, err := r.Cookie(bannerCookie); err == nil && c.Value == key {
		return siteBanner{}
	}
	return siteBanner{Banner: b, Key: key}
}

// bannerKey names one banner: its version, and when it was set (versions
// count afresh in an archive rebuilt from an export, which carries no
// banner).
func bannerKey(b archive.Banner) string {
	return strconv.FormatInt(b.Version, 10) + "." + strconv.FormatInt(b.UpdatedAt.Unix(), 10)
}

var bannerKeyRe = regexp.MustCompile(`^[0-9]{1,19}\.-?[0-9]{1,19}$`)

// dismissBanner (POST /banner/dismiss, banner, return_to) remembers the
// dismissed banner's key for a year.
func (srv *Server) dismissBanner(w http.ResponseWriter, r *http.Request) error {
	key := r.PostFormValue("banner")
	if !bannerKeyRe.MatchString(key) {
		srv.render(w, r, http.StatusUnprocessableEntity, "error", pageData{Title: "Unknown banner", P: "That banner is not one this archive showed."})
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: bannerCookie, Value: key, Path: "/", HttpOnly: true,
		Secure: srv.opt.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(365 * 24 * time.Hour / time.Second)})
	http.Redirect(w, r, localPath(r.PostFormValue("return_to"), "/"), http.StatusSeeOther)
	return nil
}

// bannerForm is the admins' page for the banner.
type bannerForm struct {
	Current archive.Banner
	Text    string
	Format  string
}

func (srv *Server) bannerAdmin(w http.ResponseWriter, r *http.Request) error {
	if _, err := srv.newsAdmin(w, r); err != nil {
		return err
	}
	b := srv.site.Banner(r.Context())
	srv.render(w, r, http.StatusOK, "banner_form", pageData{Title: "Site banner",
		P: &bannerForm{Current: b, Text: b.Text.Source, Format: string(formatOf(string(b.Text.Format)))}})
	return nil
}

func (srv *Server) setBanner(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.newsAdmin(w, r)
	if err != nil {
		return err
	}
	f := &bannerForm{Text: r.PostFormValue("text"), Format: string(formatOf(r.PostFormValue("format")))}
	b, err := srv.site.SetBanner(r.Context(), u, f.Text, f.Format)
	if err != nil {
		f.Current = srv.site.Banner(r.Context())
		return srv.invalid(w, r, err, "banner_form", "Site banner", f)
	}
	f.Current = b
	msg := "The banner is set: every page shows it until a reader dismisses it."
	if !b.Active() {
		msg = "The banner is removed."
	}
	srv.render(w, r, http.StatusOK, "banner_form", pageData{Title: "Site banner", Message: msg, P: f})
	return nil
}
