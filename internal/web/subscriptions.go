package web

import (
	"errors"
	"net/http"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// subscriptionReturn is where a subscribe form sends the reader back: a work
// or user page on this site, else the inbox.
func subscriptionReturn(r *http.Request) string {
	const fallback = "/inbox#subscriptions"
	rt := localPath(r.PostFormValue("return_to"), fallback)
	if strings.HasPrefix(rt, "/works/") || strings.HasPrefix(rt, "/users/") || strings.HasPrefix(rt, "/series/") {
		return rt
	}
	return fallback
}

func formTarget(r *http.Request) site.SubscriptionTarget {
	return site.SubscriptionTarget{Kind: r.PostFormValue("kind"), Target: r.PostFormValue("target")}
}

// POST /subscriptions (kind, target, return_to): subscribing twice is not an
// error on a page.
func (srv *Server) subscribe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if _, err := srv.site.Subscribe(r.Context(), u, formTarget(r)); err != nil && !errors.Is(err, archive.ErrConflict) {
		return err
	}
	http.Redirect(w, r, subscriptionReturn(r), http.StatusSeeOther)
	return nil
}

// POST /subscriptions/delete (kind, target, return_to): unsubscribing from
// what one is not subscribed to is not an error on a page.
func (srv *Server) unsubscribe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := srv.site.Unsubscribe(r.Context(), u, formTarget(r)); err != nil && !errors.Is(err, archive.ErrNotFound) {
		return err
	}
	http.Redirect(w, r, subscriptionReturn(r), http.StatusSeeOther)
	return nil
}

// unsubscribePage is the confirmation behind an e-mail's unsubscribe link.
type unsubscribePage struct {
	Token string
	Sub   *site.SubscriptionView
	Done  bool
}

// GET /unsubscribe/{token}: asks to confirm; changes nothing (mail
// scanners follow links). No login needed: the token is the proof.
func (srv *Server) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	v, err := srv.site.SubscriptionByToken(r.Context(), tok)
	if err != nil {
		return srv.unsubscribeFail(w, r, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	srv.render(w, r, http.StatusOK, "unsubscribe", pageData{Title: "Unsubscribe", P: &unsubscribePage{Token: tok, Sub: v}})
	return nil
}

// POST /unsubscribe/{token}: unsubscribes; also the RFC 8058 one-click POST
// a mail client sends for List-Unsubscribe-Post.
func (srv *Server) unsubscribeByToken(w http.ResponseWriter, r *http.Request) error {
	v, err := srv.site.UnsubscribeByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return srv.unsubscribeFail(w, r, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	srv.render(w, r, http.StatusOK, "unsubscribe", pageData{Title: "Unsubscribed", P: &unsubscribePage{Sub: v, Done: true}})
	return nil
}

func (srv *Server) unsubscribeFail(w http.ResponseWriter, r *http.Request, err error) error {
	if errors.Is(err, archive.ErrNotFound) {
		srv.render(w, r, http.StatusNotFound, "error", pageData{Title: "Unsubscribe link not valid",
			P: msg("This unsubscribe link is not valid, or you have already unsubscribed. You can manage your subscriptions from your inbox.")})
		return nil
	}
	return err
}
