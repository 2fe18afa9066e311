package api

import (
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// Collections: GET|POST /api/v1/collections, GET|PATCH
// /api/v1/collections/{name}, GET …/works (the listing), GET|POST …/items,
// PATCH|DELETE …/items/{work_id}, POST …/reveal, and the gifts:
// GET /api/v1/users/{name}/gifts, DELETE /api/v1/me/gifts/{work_id}.

func (a *server) collectionRoutes() []route {
	return []route{
		{"/api/v1/collections", map[string]handlerFunc{"GET": a.listCollections, "POST": a.createCollection}},
		{"/api/v1/collections/{name}", map[string]handlerFunc{"GET": a.getCollection, "PATCH": a.editCollection, "DELETE": a.deleteCollection}},
		{"/api/v1/collections/{name}/works", map[string]handlerFunc{"GET": a.collectionWorks}},
		{"/api/v1/collections/{name}/maintainers", map[string]handlerFunc{"POST": a.setMaintainer}},
		{"/api/v1/collections/{name}/items", map[string]handlerFunc{"GET": a.listItems, "POST": a.addItem}},
		{"/api/v1/collections/{name}/items/{work_id}", map[string]handlerFunc{"PATCH": a.patchItem, "DELETE": a.deleteItem}},
		{"/api/v1/collections/{name}/reveal", map[string]handlerFunc{"POST": a.reveal}},
		{"/api/v1/users/{name}/gifts", map[string]handlerFunc{"GET": a.userGifts}},
		{"/api/v1/me/gifts/{work_id}", map[string]handlerFunc{"DELETE": a.refuseGift}},
		{"/api/v1/me/collection_items", map[string]handlerFunc{"GET": a.myItems}},
	}
}

type collectionRefJSON struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	State string `json:"state,omitempty"`
}

type maintainerJSON struct {
	User string `json:"user"`
	Role string `json:"role"`
}

type collectionJSON struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Rules       string           `json:"rules"`
	Parent      *string          `json:"parent"`
	Open        bool             `json:"open"`
	Moderated   bool             `json:"moderated"`
	Anonymous   bool             `json:"anonymous"`
	Unrevealed  bool             `json:"unrevealed"`
	Maintainers []maintainerJSON `json:"maintainers"`
	Works       int              `json:"works"`
	CreatedAt   *string          `json:"created_at"`
	UpdatedAt   *string          `json:"updated_at"`
	URL         string           `json:"url"`
}

func (a *server) collection(c *archive.Collection) collectionJSON {
	j := collectionJSON{ID: c.ID, Name: c.Name, Title: c.Title, Description: c.Description.HTML, Rules: c.Rules.HTML,
		Open: c.Open, Moderated: c.Moderated, Anonymous: c.Anonymous, Unrevealed: c.Unrevealed, Works: c.Items,
		Maintainers: []maintainerJSON{}, CreatedAt: timestamp(c.CreatedAt), UpdatedAt: timestamp(c.UpdatedAt),
		URL: strings.TrimRight(a.site.BaseURL, "/") + "/collections/" + c.Name}
	if c.Parent != "" {
		p := c.Parent
		j.Parent = &p
	}
	for _, m := range c.Maintainers {
		j.Maintainers = append(j.Maintainers, maintainerJSON{User: m.UserName, Role: m.Role})
	}
	return j
}

// collectionBody is POST and PATCH's body; absent fields stay as they are.
type collectionBody struct {
	Name              *string `json:"name"`
	Title             *string `json:"title"`
	Description       *string `json:"description"`
	DescriptionFormat string  `json:"description_format"`
	Rules             *string `json:"rules"`
	RulesFormat       string  `json:"rules_format"`
	Parent            *string `json:"parent"`
	Open              *bool   `json:"open"`
	Moderated         *bool   `json:"moderated"`
	Anonymous         *bool   `json:"anonymous"`
	Unrevealed        *bool   `json:"unrevealed"`
}

func (b *collectionBody) input(present map[string]bool) archive.CollectionInput {
	in := archive.CollectionInput{Name: b.Name, Title: b.Title, Description: b.Description, DescriptionFormat: archive.Format(b.DescriptionFormat),
		Rules: b.Rules, RulesFormat: archive.Format(b.RulesFormat), Parent: b.Parent,
		Open: b.Open, Moderated: b.Moderated, Anonymous: b.Anonymous, Unrevealed: b.Unrevealed}
	if present["parent"] && b.Parent == nil {
		empty := ""
		in.Parent = &empty // "parent": null takes the parent away
	}
	return in
}

// GET /api/v1/collections?q=&maintainer=&page=&per_page=
func (a *server) listCollections(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	page, err := site.PageParam("page", v.Get("page"))
	if err != nil {
		return err
	}
	perPage := 20
	if s := v.Get("per_page"); s != "" {
		if perPage, err = strconv.Atoi(s); err != nil || perPage < 1 || perPage > 100 {
			return archive.Invalid("per_page", "must be 1..100")
		}
	}
	q := site.CollectionQuery{Text: v.Get("q")}
	if m := v.Get("maintainer"); m != "" {
		owner, cs, err := a.site.UserCollections(r.Context(), m)
		if err != nil {
			return err
		}
		_ = owner
		out := make([]collectionJSON, 0, len(cs))
		for _, c := range cs {
			out = append(out, a.collection(c))
		}
		writeJSON(w, http.StatusOK, map[string]any{"total": len(cs), "page": 1, "per_page": len(cs), "collections": out})
		return nil
	}
	res, err := a.site.Collections(r.Context(), q, page, perPage)
	if err != nil {
		return err
	}
	out := make([]collectionJSON, 0, len(res.Collections))
	for _, c := range res.Collections {
		out = append(out, a.collection(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": res.Total, "page": res.Page, "per_page": res.PerPage, "collections": out})
	return nil
}

// POST /api/v1/collections
func (a *server) createCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b collectionBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	c, err := a.site.CreateCollection(r.Context(), u, b.input(present))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/collections/"+c.Name)
	writeJSON(w, http.StatusCreated, a.collection(c))
	return nil
}

func (a *server) getCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	c, err := a.site.Collection(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.collection(c))
	return nil
}

// PATCH /api/v1/collections/{name} (owners)
func (a *server) editCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if _, err := a.site.Collection(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	var b collectionBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	c, err := a.site.EditCollection(r.Context(), u, r.PathValue("name"), b.input(present))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.collection(c))
	return nil
}

// DELETE /api/v1/collections/{name} (owners): its works stay.
func (a *server) deleteCollection(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if err := a.site.DeleteCollection(r.Context(), u, r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET /api/v1/collections/{name}/works: the listing, as GET /api/v1/works.
func (a *server) collectionWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	c, err := a.site.Collection(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	v := r.URL.Query()
	q, err := listing.ParseValues(v)
	if err != nil {
		return err
	}
	l, err := a.site.CollectionWorks(r.Context(), u, c, q, v.Get("q"))
	if err != nil {
		return err
	}
	return a.writeListing(w, r, u, l)
}

// POST /api/v1/collections/{name}/maintainers {"user","role"} (role
// "owner", "moderator" or "" to remove).
func (a *server) setMaintainer(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		User string `json:"user"`
		Role string `json:"role"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	c, err := a.site.SetCollectionMaintainer(r.Context(), u, r.PathValue("name"), b.User, b.Role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.collection(c))
	return nil
}

type itemJSON struct {
	Collection string  `json:"collection"`
	WorkID     int64   `json:"work_id"`
	Title      string  `json:"title,omitempty"`
	State      string  `json:"state"`
	Anonymous  bool    `json:"anonymous"`
	Unrevealed bool    `json:"unrevealed"`
	CreatedAt  *string `json:"created_at"`
	UpdatedAt  *string `json:"updated_at"`
}

func toItemJSON(it archive.CollectionItem, title string) itemJSON {
	return itemJSON{Collection: it.CollectionName, WorkID: it.WorkID, Title: title, State: it.State, Anonymous: it.Anonymous,
		Unrevealed: it.Unrevealed, CreatedAt: timestamp(it.CreatedAt), UpdatedAt: timestamp(it.UpdatedAt)}
}

// GET /api/v1/collections/{name}/items?state= (maintainers)
func (a *server) listItems(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	v := r.URL.Query()
	page, err := site.PageParam("page", v.Get("page"))
	if err != nil {
		return err
	}
	_, items, total, err := a.site.CollectionItems(r.Context(), u, r.PathValue("name"), v.Get("state"), page, 100)
	if err != nil {
		return err
	}
	out := make([]itemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, toItemJSON(it.CollectionItem, it.Work.Title))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "items": out})
	return nil
}

// GET /api/v1/me/collection_items: the caller's works' items.
func (a *server) myItems(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	items, err := a.site.MyCollectionItems(r.Context(), u, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	out := make([]itemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, toItemJSON(it.CollectionItem, it.Work.Title))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// POST /api/v1/collections/{name}/items {"work_id"} → 201 with the item.
func (a *server) addItem(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if _, err := a.site.Collection(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	var b struct {
		WorkID int64 `json:"work_id"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if b.WorkID <= 0 {
		return archive.Invalid("work_id", "must be a work id")
	}
	it, err := a.site.AddToCollection(r.Context(), u, r.PathValue("name"), b.WorkID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toItemJSON(*it, ""))
	return nil
}

// PATCH /api/v1/collections/{name}/items/{work_id} {"state"}
func (a *server) patchItem(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	var b struct {
		State string `json:"state"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	it, err := a.site.SetItemState(r.Context(), u, r.PathValue("name"), id, b.State)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toItemJSON(*it, ""))
	return nil
}

// DELETE /api/v1/collections/{name}/items/{work_id}
func (a *server) deleteItem(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	if err := a.site.RemoveItem(r.Context(), u, r.PathValue("name"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/collections/{name}/reveal {"works": bool, "creators": bool,
// "work_id": optional, one work only}
func (a *server) reveal(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		Works    bool  `json:"works"`
		Creators bool  `json:"creators"`
		WorkID   int64 `json:"work_id"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	name := r.PathValue("name")
	if b.WorkID != 0 {
		if err := a.site.RevealItem(r.Context(), u, name, b.WorkID, b.Works, b.Creators); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"revealed": []int64{b.WorkID}})
		return nil
	}
	ids, err := a.site.RevealCollection(r.Context(), u, name, b.Works, b.Creators)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []int64{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"revealed": ids})
	return nil
}

// GET /api/v1/users/{name}/gifts
func (a *server) userGifts(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	_, ws, err := a.site.Gifts(r.Context(), u, r.PathValue("name"))
	if err != nil {
		return err
	}
	out := make([]*workJSON, 0, len(ws))
	for _, wk := range ws {
		out = append(out, a.work(u, wk))
	}
	if err := a.fillSeries(r.Context(), out...); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"works": out})
	return nil
}

// DELETE /api/v1/me/gifts/{work_id}: refuse a gift.
func (a *server) refuseGift(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	if err := a.site.RefuseGift(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
