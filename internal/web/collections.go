package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/listing"
	"quire/internal/site"
)

// Collections: /collections (browse and search), a collection's profile,
// its full works listing and feed, the maintainers' settings, item queue
// and reveal; a user's collections and gifts.

func (srv *Server) collectionRoutes(mux router) {
	mux.HandleFunc("GET /collections", srv.page(srv.collectionsIndex))
	mux.HandleFunc("POST /collections", srv.loggedIn(srv.createCollection))
	mux.HandleFunc("GET /collections/new", srv.loggedIn(srv.newCollectionForm))
	mux.HandleFunc("GET /collections/{name}", srv.page(srv.showCollection))
	mux.HandleFunc("GET /collections/{name}/works", srv.page(srv.collectionWorks))
	mux.HandleFunc("GET /collections/{name}/feed.atom", srv.page(srv.collectionFeed))
	mux.HandleFunc("GET /collections/{name}/edit", srv.loggedIn(srv.editCollectionForm))
	mux.HandleFunc("POST /collections/{name}/edit", srv.loggedIn(srv.updateCollection))
	mux.HandleFunc("POST /collections/{name}/maintainers", srv.loggedIn(srv.setCollectionMaintainer))
	mux.HandleFunc("POST /collections/{name}/reveal", srv.loggedIn(srv.revealCollection))
	mux.HandleFunc("GET /collections/{name}/items", srv.loggedIn(srv.collectionItems))
	mux.HandleFunc("POST /collections/{name}/items", srv.loggedIn(srv.addCollectionItem))
	mux.HandleFunc("POST /collections/{name}/items/{work_id}", srv.loggedIn(srv.answerCollectionItem))
	mux.HandleFunc("GET /users/{name}/collections", srv.page(srv.userCollections))
	mux.HandleFunc("GET /users/{name}/gifts", srv.page(srv.userGifts))
	mux.HandleFunc("GET /account/collection_items", srv.loggedIn(srv.myCollectionItems))
	mux.HandleFunc("POST /works/{id}/refuse_gift", srv.loggedIn(srv.refuseGift))
}

type collectionsPage struct {
	Heading     string
	Collections []*archive.Collection
	Q           string
	Page        int
	LastPage    int
	Total       int
	base        string
}

func (p *collectionsPage) URL(page int) string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	v.Set("page", strconv.Itoa(page))
	return p.base + "?" + v.Encode()
}

func (srv *Server) collectionsIndex(w http.ResponseWriter, r *http.Request) error {
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	res, err := srv.site.Collections(r.Context(), site.CollectionQuery{Text: q}, page, 20)
	if err != nil {
		return err
	}
	p := &collectionsPage{Heading: "Collections", Collections: res.Collections, Q: q, Page: res.Page, Total: res.Total,
		LastPage: max(1, (res.Total+res.PerPage-1)/res.PerPage), base: "/collections"}
	srv.render(w, r, http.StatusOK, "collections", pageData{Title: "Collections", P: p})
	return nil
}

func (srv *Server) userCollections(w http.ResponseWriter, r *http.Request) error {
	owner, cs, err := srv.site.UserCollections(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	p := &collectionsPage{Heading: "Collections kept by " + owner.Name, Collections: cs, Page: 1, LastPage: 1, Total: len(cs),
		base: "/users/" + url.PathEscape(owner.Name) + "/collections"}
	srv.render(w, r, http.StatusOK, "collections", pageData{Title: p.Heading, P: p})
	return nil
}

// collectionForm is the new/edit collection form.
type collectionForm struct {
	Edit bool
	C    *archive.Collection
	V    map[string]string
}

func formFromCollection(c *archive.Collection) *collectionForm {
	f := &collectionForm{Edit: true, C: c, V: map[string]string{
		"name": c.Name, "title": c.Title, "description": c.Description.Source, "rules": c.Rules.Source, "parent": c.Parent}}
	for k, on := range map[string]bool{"open": c.Open, "moderated": c.Moderated, "anonymous": c.Anonymous, "unrevealed": c.Unrevealed} {
		if on {
			f.V[k] = "1"
		}
	}
	return f
}

func collectionInputFromForm(r *http.Request, creating bool) (archive.CollectionInput, *collectionForm) {
	f := &collectionForm{Edit: !creating, V: map[string]string{}}
	for _, k := range []string{"name", "title", "description", "rules", "parent", "open", "moderated", "anonymous", "unrevealed"} {
		f.V[k] = r.PostForm.Get(k)
	}
	str := func(k string) *string { v := f.V[k]; return &v }
	flag := func(k string) *bool { v := f.V[k] != ""; return &v }
	in := archive.CollectionInput{Title: str("title"), Description: str("description"), Rules: str("rules"), Parent: str("parent"),
		Open: flag("open"), Moderated: flag("moderated"), Anonymous: flag("anonymous"), Unrevealed: flag("unrevealed")}
	if creating {
		in.Name = str("name")
	}
	return in, f
}

func (srv *Server) newCollectionForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	srv.render(w, r, http.StatusOK, "collection_form", pageData{Title: "New collection", P: &collectionForm{V: map[string]string{"open": "1"}}})
	return nil
}

func (srv *Server) createCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	in, f := collectionInputFromForm(r, true)
	c, err := srv.site.CreateCollection(r.Context(), u, in)
	if err != nil {
		return srv.invalid(w, r, err, "collection_form", "New collection", f)
	}
	http.Redirect(w, r, "/collections/"+c.Name, http.StatusSeeOther)
	return nil
}

func (srv *Server) editCollectionForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	c, err := srv.site.Collection(r.Context(), r.PathValue("name"))
	if err == nil && !c.IsMaintainer(u.ID) {
		err = archive.ErrForbidden
	}
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "collection_form", pageData{Title: "Edit " + c.Title, P: formFromCollection(c)})
	return nil
}

func (srv *Server) updateCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	in, f := collectionInputFromForm(r, false)
	c, err := srv.site.EditCollection(r.Context(), u, r.PathValue("name"), in)
	if err != nil {
		if old, err2 := srv.site.Collection(r.Context(), r.PathValue("name")); err2 == nil {
			f.C = old
			f.V["name"] = old.Name
		}
		return srv.invalid(w, r, err, "collection_form", "Edit collection", f)
	}
	http.Redirect(w, r, "/collections/"+c.Name, http.StatusSeeOther)
	return nil
}

// collectionPage is a collection's profile.
type collectionPage struct {
	C          *archive.Collection
	Subs       []*archive.Collection
	Recent     []*archive.Work
	Total      int
	Maintainer bool
	Owner      bool
	Pending    int
	// Exchange: the collection runs a gift exchange (SignupsOpen: now
	// taking sign-ups).
	Exchange    bool
	SignupsOpen bool
	// PinchHitter: the reader volunteers to pinch-hit.
	PinchHitter bool
	PromptMeme  bool // the collection is a prompt meme (prompts.go)
}

func (srv *Server) showCollection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := srv.site.Collection(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	u := currentUser(r)
	res, err := srv.site.CollectionWorks(ctx, u, c, listing.Query{PerPage: 5, SkipFacets: true}, "")
	if err != nil {
		return err
	}
	subs, err := srv.site.Collections(ctx, site.CollectionQuery{ParentID: c.ID}, 1, 100)
	if err != nil {
		return err
	}
	p := &collectionPage{C: c, Subs: subs.Collections, Recent: res.Works, Total: res.Total}
	if v, err := srv.site.Challenge(ctx, u, c.Name); err == nil && v.Challenge != nil && v.Challenge.Kind == archive.GiftExchange {
		p.Exchange, p.SignupsOpen = true, v.Open
		p.PinchHitter = srv.site.IsPinchHitter(ctx, u, c)
	} else if err == nil && v.Challenge != nil && v.Challenge.Kind == archive.PromptMeme {
		p.PromptMeme, p.SignupsOpen = true, v.Open
	}
	if u != nil {
		p.Maintainer, p.Owner = c.IsMaintainer(u.ID), c.IsOwner(u.ID)
		if p.Maintainer {
			if _, _, n, err := srv.site.CollectionItems(ctx, u, c.Name, archive.ItemPending, 1, 1); err == nil {
				p.Pending = n
			}
		}
	}
	srv.render(w, r, http.StatusOK, "collection", pageData{Title: c.Title, P: p})
	return nil
}

func (srv *Server) collectionWorks(w http.ResponseWriter, r *http.Request) error {
	c, err := srv.site.Collection(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	tree, err := srv.site.CollectionTree(r.Context(), c)
	if err != nil {
		return err
	}
	return srv.list(w, r, srv.tr(r, "Works in {0}", c.Title), "", func(q *listing.Query) { q.Collections = tree })
}

func (srv *Server) collectionFeed(w http.ResponseWriter, r *http.Request) error {
	reader, ok := srv.feedReader(w, r)
	if !ok {
		return nil
	}
	c, err := srv.site.Collection(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	res, err := srv.site.CollectionWorks(r.Context(), reader, c, listing.Query{Sort: "updated", PerPage: feedEntries, SkipFacets: true}, "")
	if err != nil {
		return err
	}
	path := "/collections/" + c.Name
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + "/collections/" + strconv.FormatInt(c.ID, 10) + "/feed"),
		Title:   srv.site.Name + ": works in " + c.Title,
		SelfURL: srv.absURL(path+"/feed.atom") + feedTokenQuery(reader, r),
		AltURL:  srv.absURL(path + "/works"),
	}
	for _, wk := range res.Works {
		if wk.Mystery {
			continue // nothing to say about a mystery work
		}
		f.Entries = append(f.Entries, srv.workEntry(wk))
	}
	srv.writeFeed(w, r, f)
	return nil
}

func (srv *Server) setCollectionMaintainer(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	role := r.PostForm.Get("role")
	if role == "remove" {
		role = ""
	}
	name := r.PathValue("name")
	if _, err := srv.site.SetCollectionMaintainer(r.Context(), u, name, r.PostForm.Get("user"), role); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name), http.StatusSeeOther)
	return nil
}

func (srv *Server) revealCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	works, creators := r.PostForm.Get("works") != "", r.PostForm.Get("creators") != ""
	var err error
	if id := r.PostForm.Get("work_id"); id != "" {
		wid, perr := strconv.ParseInt(id, 10, 64)
		if perr != nil {
			return archive.Invalid("work_id", "must be a work id")
		}
		err = srv.site.RevealItem(r.Context(), u, name, wid, works, creators)
	} else {
		_, err = srv.site.RevealCollection(r.Context(), u, name, works, creators)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name), http.StatusSeeOther)
	return nil
}

// itemsPage is a collection's item queue for its maintainers, or a
// creator's own items.
type itemsPage struct {
	C        *archive.Collection
	Items    []site.ItemView
	State    string
	States   []string
	Page     int
	LastPage int
	Mine     bool
}

func (p *itemsPage) URL(page int) string {
	return "/collections/" + p.C.Name + "/items?state=" + url.QueryEscape(p.State) + "&page=" + strconv.Itoa(page)
}

func (srv *Server) collectionItems(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	adminOnly(w)
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	if state == "" {
		state = archive.ItemPending
	}
	c, items, total, err := srv.site.CollectionItems(r.Context(), u, r.PathValue("name"), state, page, 20)
	if err != nil {
		return err
	}
	p := &itemsPage{C: c, Items: items, State: state, Page: max(page, 1), LastPage: max(1, (total+19)/20),
		States: []string{archive.ItemPending, archive.ItemApproved, archive.ItemInvited, archive.ItemRejected}}
	srv.render(w, r, http.StatusOK, "collection_items", pageData{Title: "Items of " + c.Title, P: p})
	return nil
}

func (srv *Server) myCollectionItems(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	adminOnly(w)
	items, err := srv.site.MyCollectionItems(r.Context(), u, "")
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "collection_items", pageData{Title: "Your works in collections", P: &itemsPage{Items: items, Mine: true}})
	return nil
}

func (srv *Server) addCollectionItem(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("work_id")), 10, 64)
	if err != nil {
		return archive.Invalid("work_id", "must be a work id")
	}
	name := r.PathValue("name")
	if _, err := srv.site.AddToCollection(r.Context(), u, name, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name), http.StatusSeeOther)
	return nil
}

// answerCollectionItem approves, rejects or removes an item (action).
func (srv *Server) answerCollectionItem(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	id, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	switch a := r.PostForm.Get("action"); a {
	case "remove":
		err = srv.site.RemoveItem(r.Context(), u, name, id)
	case archive.ItemApproved, archive.ItemRejected:
		_, err = srv.site.SetItemState(r.Context(), u, name, id, a)
	default:
		err = archive.Invalid("action", "must be approved, rejected or remove")
	}
	if err != nil {
		return err
	}
	back := "/collections/" + url.PathEscape(name) + "/items"
	if rt := r.PostForm.Get("return_to"); rt == "/account/collection_items" {
		back = rt
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// giftsPage lists the works given to a user.
type giftsPage struct {
	To     *archive.User
	Works  []*archive.Work
	Mine   bool
	Blurbs []template.HTML
}

func (srv *Server) userGifts(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	to, ws, err := srv.site.Gifts(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	blurbs, err := srv.renderBlurbs(r, "gifts", ws)
	if err != nil {
		return err
	}
	p := &giftsPage{To: to, Works: ws, Mine: u != nil && u.ID == to.ID, Blurbs: blurbs}
	srv.render(w, r, http.StatusOK, "gifts", pageData{Title: "Gifts for " + to.Name, P: p})
	return nil
}

func (srv *Server) refuseGift(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = srv.site.RefuseGift(r.Context(), u, id)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/gifts", http.StatusSeeOther)
	return nil
}
