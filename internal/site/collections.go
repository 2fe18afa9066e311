package site

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store"
)

// AnonymousCreator is the byline of a work whose collection hides its
// creators, and AnonymousCommenter the name its creators comment under.
const (
	AnonymousCreator   = "Anonymous"
	AnonymousCommenter = "Anonymous Creator"
	MysteryTitle       = "Mystery Work"
)

func collectionTarget(name string) string { return "collection:" + name }

// anonymized is a copy of w with its creators hidden and, when mystery,
// everything that would tell the work apart.
func anonymized(w *archive.Work, mystery bool) *archive.Work {
	c := *w
	c.Creators = []archive.Creator{{Pseud: AnonymousCreator}}
	c.Masked = true
	if mystery {
		c.Mystery = true
		c.Title = MysteryTitle
		c.Summary, c.Notes, c.EndNotes = archive.Rich{}, archive.Rich{}, archive.Rich{}
		c.Tags = map[archive.TagType][]string{}
		c.Gifts = nil
	}
	return &c
}

func isRecipient(w *archive.Work, userID int64) bool {
	for _, g := range w.Gifts {
		if userID != 0 && g.UserID == userID {
			return true
		}
	}
	return false
}

// seesBehind reports whether u may see past w's collection hiding: its
// creators and the maintainers of its collections.
func (s *Site) seesBehind(ctx context.Context, u *archive.User, w *archive.Work) bool {
	if u == nil {
		return false
	}
	if w.HasCreatorUser(u.ID) {
		return true
	}
	ok, err := s.store.MaintainsWork(ctx, u.ID, w.ID)
	if err != nil {
		s.logger().Warn("maintains work", "work", w.ID, "err", err)
		return false
	}
	return ok
}

// maskFor is w as u may see it: an unrevealed work is a Mystery Work to
// everyone but its creators, maintainers and recipients; an anonymous
// work's creators are "Anonymous" to everyone but its creators and
// maintainers. w is not changed.
func (s *Site) maskFor(ctx context.Context, u *archive.User, w *archive.Work) *archive.Work {
	if !w.Anonymous && !w.Unrevealed || s.seesBehind(ctx, u, w) {
		return w
	}
	recipient := u != nil && isRecipient(w, u.ID)
	switch {
	case w.Unrevealed && !recipient:
		return anonymized(w, true)
	case w.Anonymous:
		return anonymized(w, false)
	}
	return w
}

// masked returns ws as u may see them (maskFor); ws is not changed.
func (s *Site) masked(ctx context.Context, u *archive.User, ws []*archive.Work) []*archive.Work {
	var out []*archive.Work
	for i, w := range ws {
		m := s.maskFor(ctx, u, w)
		if m == w {
			continue
		}
		if out == nil {
			out = slices.Clone(ws)
		}
		out[i] = m
	}
	if out == nil {
		return ws
	}
	return out
}

// canSeeWorkPage reports whether u may open w's own page (and so comment,
// give kudos, download): an unrevealed work's only to its creators,
// maintainers and recipients.
func (s *Site) canSeeWorkPage(ctx context.Context, u *archive.User, w *archive.Work) bool {
	return !w.Unrevealed || s.maskFor(ctx, u, w).Mystery == false
}

// Collection loads a collection by name (collections are public).
func (s *Site) Collection(ctx context.Context, name string) (*archive.Collection, error) {
	if archive.ValidCollectionName(name) != nil {
		return nil, fmt.Errorf("collection %q: %w", name, archive.ErrNotFound)
	}
	return s.store.CollectionByName(ctx, name)
}

// CollectionQuery selects collections for /collections and a user's page.
type CollectionQuery = store.CollectionQuery

// CollectionPage is a page of collections.
type CollectionPage struct {
	Collections []*archive.Collection
	Total       int
	Page        int
	PerPage     int
}

// Collections lists collections: by text, by maintainer, or the direct
// sub-collections of one.
func (s *Site) Collections(ctx context.Context, q store.CollectionQuery, page, perPage int) (*CollectionPage, error) {
	if perPage <= 0 || perPage > 100 {
		perPage = 20
	}
	if page <= 0 {
		page = 1
	}
	if page > listing.MaxPage {
		return nil, archive.Invalid("page", "must be at most %d", listing.MaxPage)
	}
	q.Offset, q.Limit = (page-1)*perPage, perPage
	cs, total, err := s.store.ListCollections(ctx, q)
	if err != nil {
		return nil, err
	}
	return &CollectionPage{Collections: cs, Total: total, Page: page, PerPage: perPage}, nil
}

// UserCollections lists the collections a user keeps.
func (s *Site) UserCollections(ctx context.Context, name string) (*archive.User, []*archive.Collection, error) {
	owner, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	cs, _, err := s.store.ListCollections(ctx, store.CollectionQuery{MaintainerID: owner.ID, Limit: 1000})
	return owner, cs, err
}

func (s *Site) resolveParent(ctx context.Context, u *archive.User, c *archive.Collection) error {
	if c.Parent == "" {
		c.ParentID = 0
		return nil
	}
	p, err := s.Collection(ctx, c.Parent)
	if errors.Is(err, archive.ErrNotFound) {
		return archive.Invalid("parent", "there is no collection named %q", c.Parent)
	}
	if err != nil {
		return err
	}
	if p.ID == c.ParentID {
		c.Parent = p.Name
		return nil
	}
	if !p.IsMaintainer(u.ID) {
		return archive.Invalid("parent", "only the maintainers of %q may add sub-collections to it", p.Name)
	}
	if c.ID != 0 {
		tree, err := s.store.CollectionTree(ctx, c.ID)
		if err != nil {
			return err
		}
		if slices.Contains(tree, p.ID) {
			return archive.Invalid("parent", "%q is inside this collection: that would make a loop", p.Name)
		}
	}
	if p.ParentID != 0 {
		return archive.Invalid("parent", "%q is itself a sub-collection; sub-collections go one level deep", p.Name)
	}
	c.ParentID, c.Parent = p.ID, p.Name
	return nil
}

// CreateCollection makes a collection with u as its owner.
func (s *Site) CreateCollection(ctx context.Context, u *archive.User, in archive.CollectionInput) (*archive.Collection, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	c := &archive.Collection{}
	if err := archive.ApplyCollectionInput(c, in, true); err != nil {
		return nil, err
	}
	if err := s.resolveParent(ctx, u, c); err != nil {
		return nil, err
	}
	c.CreatedAt = s.Now().Truncate(1e9)
	c.UpdatedAt = c.CreatedAt
	if err := s.store.CreateCollection(ctx, c, u.ID); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Invalid("name", "%q is taken", c.Name)
		}
		return nil, err
	}
	return s.store.CollectionByID(ctx, c.ID)
}

// maintained loads a collection u keeps: ErrNotFound when there is none,
// ErrForbidden when u is not a maintainer (owners only when ownerOnly).
func (s *Site) maintained(ctx context.Context, u *archive.User, name string, ownerOnly bool) (*archive.Collection, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, archive.ErrAuth
	}
	if ownerOnly && !c.IsOwner(u.ID) {
		return nil, fmt.Errorf("only the collection's owners may do that: %w", archive.ErrForbidden)
	}
	if !c.IsMaintainer(u.ID) {
		return nil, fmt.Errorf("only the collection's maintainers may do that: %w", archive.ErrForbidden)
	}
	return c, nil
}

// EditCollection changes a collection's details and settings (owners).
// Turning anonymous or unrevealed off is a reveal; turning them on hides
// works added from then on.
func (s *Site) EditCollection(ctx context.Context, u *archive.User, name string, in archive.CollectionInput) (*archive.Collection, error) {
	c, err := s.maintained(ctx, u, name, true)
	if err != nil {
		return nil, err
	}
	wasAnon, wasUnrevealed := c.Anonymous, c.Unrevealed
	if err := archive.ApplyCollectionInput(c, in, false); err != nil {
		return nil, err
	}
	if err := s.resolveParent(ctx, u, c); err != nil {
		return nil, err
	}
	c.UpdatedAt = s.Now().Truncate(1e9)
	revealWorks, revealCreators := wasUnrevealed && !c.Unrevealed, wasAnon && !c.Anonymous
	c.Anonymous, c.Unrevealed = c.Anonymous || revealCreators, c.Unrevealed || revealWorks
	if err := s.store.UpdateCollection(ctx, c); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "collection_edit", collectionTarget(c.Name), "")
	if revealWorks || revealCreators {
		if _, err := s.RevealCollection(ctx, u, c.Name, revealWorks, revealCreators); err != nil {
			return nil, err
		}
	}
	return s.store.CollectionByID(ctx, c.ID)
}

// DeleteCollection removes a collection (owners); its works stay.
func (s *Site) DeleteCollection(ctx context.Context, u *archive.User, name string) error {
	c, err := s.maintained(ctx, u, name, true)
	if err != nil {
		return err
	}
	works, err := s.store.DeleteCollection(ctx, c.ID)
	if err != nil {
		return err
	}
	s.audit(ctx, u, "collection_delete", collectionTarget(c.Name), "")
	s.reindexAll(ctx, works)
	return nil
}

// audit appends a maintainer's action to the audit log; a failure is
// logged (the action itself is done).
func (s *Site) audit(ctx context.Context, u *archive.User, action, target, reason string) {
	if err := s.store.AppendAudit(ctx, s.entry(u, action, target, reason)); err != nil {
		s.logger().Warn("audit", "action", action, "target", target, "err", err)
	}
}

// SetCollectionMaintainer gives a user a role in the collection ("owner",
// "moderator") or removes them (""); owners only, except that a
// maintainer may always remove themselves. The last owner stays.
func (s *Site) SetCollectionMaintainer(ctx context.Context, u *archive.User, name, userName, role string) (*archive.Collection, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	switch role {
	case "", archive.CollectionOwner, archive.CollectionModerator:
	default:
		return nil, archive.Invalid("role", "must be owner or moderator")
	}
	who, err := s.store.UserByName(ctx, strings.TrimSpace(userName))
	if errors.Is(err, archive.ErrNotFound) {
		return nil, archive.Invalid("user", "there is no user named %q", userName)
	}
	if err != nil {
		return nil, err
	}
	self := role == "" && who.ID == u.ID && c.IsMaintainer(u.ID)
	if !self && !c.IsOwner(u.ID) {
		if c.IsMaintainer(u.ID) {
			return nil, fmt.Errorf("only the collection's owners may change its maintainers: %w", archive.ErrForbidden)
		}
		return nil, fmt.Errorf("only the collection's owners may change its maintainers: %w", archive.ErrForbidden)
	}
	if role == "" && !c.IsMaintainer(who.ID) {
		return nil, archive.Invalid("user", "%s is not a maintainer of this collection", who.Name)
	}
	if err := s.store.SetMaintainer(ctx, c.ID, who.ID, role); err != nil {
		return nil, err
	}
	action := "collection_maintainer_" + role
	if role == "" {
		action = "collection_maintainer_remove"
	}
	s.audit(ctx, u, action, collectionTarget(c.Name), "user:"+who.Name)
	return s.store.CollectionByID(ctx, c.ID)
}

// CollectionWorks is the collection's full listing (sub-collections
// included), answered by the index.
func (s *Site) CollectionWorks(ctx context.Context, u *archive.User, c *archive.Collection, q listing.Query, text string) (*Listing, error) {
	tree, err := s.store.CollectionTree(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	q.Collections = tree
	return s.Search(ctx, u, q, text)
}

// AddToCollection puts a work in a collection. A creator of the work adds
// it (to an open collection, or one they maintain): approved, or pending
// when the collection is moderated and they are not its maintainer. A
// maintainer who is not a creator invites it (the creators approve).
func (s *Site) AddToCollection(ctx context.Context, u *archive.User, name string, workID int64) (*archive.CollectionItem, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	w, err := s.store.Work(ctx, workID)
	if err != nil || !CanView(u, w) {
		return nil, archive.Invalid("work_id", "there is no work %d you can see", workID)
	}
	state, err := itemStateFor(u, c, w)
	if err != nil {
		return nil, err
	}
	if err := s.store.PutCollectionItem(ctx, c.ID, w.ID, state); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, fmt.Errorf("the work is already in %s: %w", c.Name, archive.ErrConflict)
		}
		return nil, err
	}
	if err := s.reindex(ctx, w.ID); err != nil {
		return nil, err
	}
	if state == archive.ItemInvited {
		s.audit(ctx, u, "collection_invite", collectionTarget(c.Name), workTarget(w.ID))
	} else {
		s.fulfilAssignments(ctx, w) // a gift joining an exchange's collection
	}
	return s.store.CollectionItem(ctx, c.ID, w.ID)
}

func itemStateFor(u *archive.User, c *archive.Collection, w *archive.Work) (string, error) {
	creator, maintainer := w.HasCreatorUser(u.ID), c.IsMaintainer(u.ID)
	switch {
	case creator && maintainer:
		return archive.ItemApproved, nil
	case creator && !c.Open:
		return "", fmt.Errorf("%s is closed: only its maintainers may add works: %w", c.Name, archive.ErrForbidden)
	case creator && c.Moderated:
		return archive.ItemPending, nil
	case creator:
		return archive.ItemApproved, nil
	case maintainer:
		return archive.ItemInvited, nil
	}
	return "", fmt.Errorf("only the work's creators or the collection's maintainers may add it: %w", archive.ErrForbidden)
}

// SetItemState approves or rejects an item: the maintainers answer a
// pending item (and may reject an approved one), the work's creators an
// invited one.
func (s *Site) SetItemState(ctx context.Context, u *archive.User, name string, workID int64, state string) (*archive.CollectionItem, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if state != archive.ItemApproved && state != archive.ItemRejected {
		return nil, archive.Invalid("state", "must be approved or rejected")
	}
	c, it, w, err := s.item(ctx, u, name, workID)
	if err != nil {
		return nil, err
	}
	maintainer, creator := c.IsMaintainer(u.ID), w.HasCreatorUser(u.ID)
	switch {
	case it.State == state:
		return nil, fmt.Errorf("the item is already %s: %w", state, archive.ErrConflict)
	case it.State == archive.ItemInvited && !creator:
		return nil, fmt.Errorf("an invited work waits for its creators' answer: %w", archive.ErrForbidden)
	case it.State != archive.ItemInvited && !maintainer:
		return nil, fmt.Errorf("only the collection's maintainers may approve or reject its items: %w", archive.ErrForbidden)
	}
	if err := s.store.SetCollectionItemState(ctx, c.ID, w.ID, state); err != nil {
		return nil, err
	}
	if err := s.reindex(ctx, w.ID); err != nil {
		return nil, err
	}
	if maintainer && it.State != archive.ItemInvited {
		s.audit(ctx, u, "collection_item_"+state, collectionTarget(c.Name), workTarget(w.ID))
	}
	if state == archive.ItemApproved {
		// A creator accepting a maintainer's invitation for a gift to an
		// exchange's recipient fulfils the assignment, as posting does.
		s.fulfilAssignments(ctx, w)
	}
	return s.store.CollectionItem(ctx, c.ID, w.ID)
}

// RemoveItem takes a work out of a collection: its creators or the
// collection's maintainers.
func (s *Site) RemoveItem(ctx context.Context, u *archive.User, name string, workID int64) error {
	c, _, w, err := s.item(ctx, u, name, workID)
	if err != nil {
		return err
	}
	maintainer := c.IsMaintainer(u.ID)
	if !maintainer && !w.HasCreatorUser(u.ID) {
		return fmt.Errorf("only the work's creators or the collection's maintainers may remove it: %w", archive.ErrForbidden)
	}
	if err := s.store.DeleteCollectionItem(ctx, c.ID, w.ID); err != nil {
		return err
	}
	if maintainer && !w.HasCreatorUser(u.ID) {
		s.audit(ctx, u, "collection_item_remove", collectionTarget(c.Name), workTarget(w.ID))
	}
	return s.reindex(ctx, w.ID)
}

// item loads a collection, one of its items and the work, for u (who must
// be logged in).
func (s *Site) item(ctx context.Context, u *archive.User, name string, workID int64) (*archive.Collection, *archive.CollectionItem, *archive.Work, error) {
	if u == nil {
		return nil, nil, nil, archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, nil, nil, err
	}
	it, err := s.store.CollectionItem(ctx, c.ID, workID)
	if err != nil {
		return nil, nil, nil, err
	}
	w, err := s.store.Work(ctx, workID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !CanView(u, w) && !c.IsMaintainer(u.ID) {
		return nil, nil, nil, fmt.Errorf("work %d: %w", workID, archive.ErrNotFound)
	}
	return c, it, w, nil
}

// ItemView is one item with its work as the maintainer or creator sees it.
type ItemView struct {
	archive.CollectionItem
	Work *archive.Work
}

// CollectionItems lists a collection's items in a state for its
// maintainers (the approval queue).
func (s *Site) CollectionItems(ctx context.Context, u *archive.User, name, state string, page, perPage int) (*archive.Collection, []ItemView, int, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, nil, 0, err
	}
	switch state {
	case "", archive.ItemApproved, archive.ItemPending, archive.ItemInvited, archive.ItemRejected:
	default:
		return nil, nil, 0, archive.Invalid("state", "must be approved, pending, invited or rejected")
	}
	if perPage <= 0 || perPage > 100 {
		perPage = 20
	}
	page = max(page, 1)
	if page > listing.MaxPage {
		return nil, nil, 0, archive.Invalid("page", "must be at most %d", listing.MaxPage)
	}
	items, total, err := s.store.CollectionItems(ctx, c.ID, state, (page-1)*perPage, perPage)
	if err != nil {
		return nil, nil, 0, err
	}
	views, err := s.itemViews(ctx, items)
	return c, views, total, err
}

func (s *Site) itemViews(ctx context.Context, items []archive.CollectionItem) ([]ItemView, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.WorkID
	}
	ws, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*archive.Work{}
	for _, w := range ws {
		byID[w.ID] = w
	}
	out := make([]ItemView, 0, len(items))
	for _, it := range items {
		if w := byID[it.WorkID]; w != nil && !w.Draft {
			out = append(out, ItemView{CollectionItem: it, Work: w})
		}
	}
	return out, nil
}

// MyCollectionItems lists the items of u's works (invitations to answer,
// items waiting for approval).
func (s *Site) MyCollectionItems(ctx context.Context, u *archive.User, state string) ([]ItemView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	items, err := s.store.UserCollectionItems(ctx, u.ID, state)
	if err != nil {
		return nil, err
	}
	return s.itemViews(ctx, items)
}

// WorkCollections lists the collections a work shows in for u: approved
// items for everyone; every state for its creators.
func (s *Site) WorkCollections(ctx context.Context, u *archive.User, w *archive.Work) ([]archive.CollectionItem, error) {
	items, err := s.store.WorkCollections(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	if u != nil && w.HasCreatorUser(u.ID) {
		return items, nil
	}
	var out []archive.CollectionItem
	for _, it := range items {
		if it.State == archive.ItemApproved {
			out = append(out, it)
		}
	}
	return out, nil
}

// collectionPlan is what setting a work's collections will change,
// checked before anything is written.
type collectionPlan struct {
	add    []planItem
	remove []int64 // collection ids
}

type planItem struct {
	collection int64
	state      string
}

// planCollections checks the collections named for a work (cur are its
// items now; w is the work, or a stand-in for a new one by u).
func (s *Site) planCollections(ctx context.Context, u *archive.User, w *archive.Work, cur []archive.CollectionItem, names []string) (*collectionPlan, error) {
	want := map[string]*archive.Collection{}
	var order []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		c, err := s.Collection(ctx, n)
		if errors.Is(err, archive.ErrNotFound) {
			return nil, archive.Invalid("collections", "there is no collection named %q", n)
		}
		if err != nil {
			return nil, err
		}
		k := archive.CollectionNameKey(c.Name)
		if want[k] == nil {
			order = append(order, k)
		}
		want[k] = c
	}
	if len(want) > archive.MaxCollectionsPerWork {
		return nil, archive.Invalid("collections", "names %d collections; the limit is %d", len(want), archive.MaxCollectionsPerWork)
	}
	have := map[string]archive.CollectionItem{}
	for _, it := range cur {
		have[archive.CollectionNameKey(it.CollectionName)] = it
	}
	plan := &collectionPlan{}
	for _, k := range order {
		if _, ok := have[k]; ok {
			continue
		}
		c := want[k]
		state, err := itemStateFor(u, c, w)
		if err != nil {
			return nil, archive.Invalid("collections", "%s", strings.TrimSuffix(err.Error(), ": "+archive.ErrForbidden.Error()))
		}
		if state == archive.ItemInvited {
			state = archive.ItemApproved // the creator is the one adding it
		}
		plan.add = append(plan.add, planItem{collection: c.ID, state: state})
	}
	for k, it := range have {
		// A rejected item stays (the form does not show it): dropping it
		// would let the work be added again past the maintainers' answer.
		if want[k] == nil && it.State != archive.ItemRejected {
			plan.remove = append(plan.remove, it.CollectionID)
		}
	}
	return plan, nil
}

func (s *Site) applyCollections(ctx context.Context, workID int64, plan *collectionPlan) error {
	for _, c := range plan.remove {
		if err := s.store.DeleteCollectionItem(ctx, c, workID); err != nil && !errors.Is(err, archive.ErrNotFound) {
			return err
		}
	}
	for _, it := range plan.add {
		if err := s.store.PutCollectionItem(ctx, it.collection, workID, it.state); err != nil && !errors.Is(err, archive.ErrConflict) {
			return err
		}
	}
	return nil
}

// SetWorkCollections makes a work's collections those named: new names
// are added as AddToCollection would, names left out are removed. Every
// name is checked before anything changes.
func (s *Site) SetWorkCollections(ctx context.Context, u *archive.User, workID int64, names []string) error {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return err
	}
	cur, err := s.store.WorkCollections(ctx, w.ID)
	if err != nil {
		return err
	}
	plan, err := s.planCollections(ctx, u, w, cur, names)
	if err != nil {
		return err
	}
	if err := s.applyCollections(ctx, w.ID, plan); err != nil {
		return err
	}
	s.fulfilAssignments(ctx, w) // a gift joining an exchange's collection
	return s.reindex(ctx, w.ID)
}

// RevealCollection reveals a collection's works and/or creators, all at
// once (maintainers). Revealing what is not hidden is a 422.
func (s *Site) RevealCollection(ctx context.Context, u *archive.User, name string, works, creators bool) ([]int64, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	if !works && !creators {
		return nil, archive.Invalid("reveal", "say what to reveal: works, creators or both")
	}
	if works && !c.Unrevealed && creators && !c.Anonymous || works && !creators && !c.Unrevealed || creators && !works && !c.Anonymous {
		return nil, archive.Invalid("reveal", "%s has nothing hidden to reveal", c.Name)
	}
	ids, err := s.store.RevealCollection(ctx, c.ID, works && c.Unrevealed, creators && c.Anonymous)
	if err != nil {
		return nil, err
	}
	what := []string{}
	if works {
		what = append(what, "works")
	}
	if creators {
		what = append(what, "creators")
	}
	s.audit(ctx, u, "collection_reveal", collectionTarget(c.Name), strings.Join(what, " and "))
	s.reindexAll(ctx, ids)
	for _, id := range ids {
		s.notifyRevealed(ctx, id)
	}
	return ids, nil
}

// RevealItem reveals one work of a collection (maintainers).
func (s *Site) RevealItem(ctx context.Context, u *archive.User, name string, workID int64, works, creators bool) error {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return err
	}
	it, err := s.store.CollectionItem(ctx, c.ID, workID)
	if err != nil {
		return err
	}
	if !(works && it.Unrevealed) && !(creators && it.Anonymous) {
		return archive.Invalid("reveal", "this work has nothing hidden to reveal")
	}
	if err := s.store.RevealItem(ctx, c.ID, workID, works, creators); err != nil {
		return err
	}
	s.audit(ctx, u, "collection_reveal_item", collectionTarget(c.Name), workTarget(workID))
	if err := s.reindex(ctx, workID); err != nil {
		return err
	}
	s.notifyRevealed(ctx, workID)
	return nil
}

// notifyRevealed tells a revealed work's recipients and subscribers that
// it is out, if nothing else still hides it. A work revealed while its
// creators stay anonymous reaches its own subscribers only, as at posting;
// revealing the creators later tells the creators' and series'
// subscribers. Nobody hears of the same work twice.
func (s *Site) notifyRevealed(ctx context.Context, workID int64) {
	w, err := s.store.Work(ctx, workID)
	if err != nil || w.Unrevealed {
		return
	}
	s.notifyPosted(ctx, w)
	s.notifyPublished(context.WithoutCancel(ctx), workID, 0)
}

// CollectionTree is the collection's id with its sub-collections' (the
// scope of its listing).
func (s *Site) CollectionTree(ctx context.Context, c *archive.Collection) ([]int64, error) {
	return s.store.CollectionTree(ctx, c.ID)
}
