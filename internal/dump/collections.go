package dump

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// Collections and gifts, after the news: collections (parents first),
// then their items, then the works' gifts.
//
//	{"type":"collection","id","name","title","description","description_source","description_format",
//	 "rules","rules_source","rules_format","parent" (a name or null),"open","moderated","anonymous","unrevealed",
//	 "maintainers":[{"user","role"}],"created_at","updated_at"}
//	{"type":"collection_item","collection","work_id","state","anonymous","unrevealed","created_at","updated_at"}
//	{"type":"gift","work_id","position","name","user" (an account's name or null),"refused","created_at"}
//	{"type":"related_work","work_id","position","parent_id" (a work here, or null),"url","title","creator",
//	 "kind","state","created_at","updated_at"} (after every work and gift)

type collectionLine struct {
	Type              string           `json:"type"`
	ID                int64            `json:"id"`
	Name              string           `json:"name"`
	Title             string           `json:"title"`
	Description       string           `json:"description"`
	DescriptionSource string           `json:"description_source"`
	DescriptionFormat string           `json:"description_format"`
	Rules             string           `json:"rules"`
	RulesSource       string           `json:"rules_source"`
	RulesFormat       string           `json:"rules_format"`
	Parent            *string          `json:"parent"`
	Open              bool             `json:"open"`
	Moderated         bool             `json:"moderated"`
	Anonymous         bool             `json:"anonymous"`
	Unrevealed        bool             `json:"unrevealed"`
	Maintainers       []maintainerLine `json:"maintainers"`
	CreatedAt         string           `json:"created_at"`
	UpdatedAt         string           `json:"updated_at"`
}

type maintainerLine struct {
	User string `json:"user"`
	Role string `json:"role"`
}

type collectionItemLine struct {
	Type       string `json:"type"`
	Collection string `json:"collection"`
	WorkID     int64  `json:"work_id"`
	State      string `json:"state"`
	Anonymous  bool   `json:"anonymous"`
	Unrevealed bool   `json:"unrevealed"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
}

type relatedLine struct {
	Type      string `json:"type"`
	WorkID    int64  `json:"work_id"`
	Position  int    `json:"position"`
	ParentID  *int64 `json:"parent_id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Creator   string `json:"creator"`
	Kind      string `json:"kind"`
	State     string `json:"state"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func relatedToLine(r *store.DumpRelatedWork) relatedLine {
	l := relatedLine{Type: "related_work", WorkID: r.ChildID, Position: r.Position, URL: r.URL, Title: r.Title, Creator: r.Creator,
		Kind: r.Kind, State: r.State, CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt)}
	if r.ParentID != 0 {
		l.ParentID = &r.ParentID
	}
	return l
}

func (im *importer) related(l relatedLine) (*store.DumpRelatedWork, error) {
	fail := func(format string, args ...any) (*store.DumpRelatedWork, error) {
		return nil, fmt.Errorf("related_work of work %d: %s", l.WorkID, fmt.Sprintf(format, args...))
	}
	if l.WorkID <= 0 || l.Position <= 0 {
		return fail("work_id and position must be positive")
	}
	in := archive.RelatedInput{URL: l.URL, Title: l.Title, Creator: l.Creator, Kind: l.Kind}
	if l.ParentID != nil {
		if *l.ParentID <= 0 || *l.ParentID == l.WorkID {
			return fail("parent_id must be another work's id")
		}
		in = archive.RelatedInput{WorkID: *l.ParentID, Kind: l.Kind}
	}
	clean, err := archive.CleanRelated([]archive.RelatedInput{in}, "")
	if err != nil || len(clean) != 1 {
		return fail("%v", err)
	}
	c := clean[0]
	if l.ParentID == nil && c.WorkID != 0 {
		return fail("url %q must be a web address", l.URL)
	}
	switch l.State {
	case archive.RelatedPending, archive.RelatedApproved, archive.RelatedRejected:
	default:
		return fail("state %q is not pending, approved or rejected", l.State)
	}
	r := &store.DumpRelatedWork{RelatedWork: archive.RelatedWork{ChildID: l.WorkID, Position: l.Position, ParentID: c.WorkID,
		URL: c.URL, Title: c.Title, Creator: c.Creator, Kind: c.Kind, State: l.State}}
	if r.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail("%v", err)
	}
	if r.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail("%v", err)
	}
	return r, nil
}

type giftLine struct {
	Type      string  `json:"type"`
	WorkID    int64   `json:"work_id"`
	Position  int     `json:"position"`
	Name      string  `json:"name"`
	User      *string `json:"user"`
	Refused   bool    `json:"refused"`
	CreatedAt string  `json:"created_at"`
}

func collectionToLine(dc *store.DumpCollection) collectionLine {
	c := &dc.Collection
	l := collectionLine{Type: "collection", ID: c.ID, Name: c.Name, Title: c.Title,
		Description: c.Description.HTML, DescriptionSource: c.Description.Source, DescriptionFormat: format(c.Description.Format),
		Rules: c.Rules.HTML, RulesSource: c.Rules.Source, RulesFormat: format(c.Rules.Format), Parent: nameOrNull(c.Parent),
		Open: c.Open, Moderated: c.Moderated, Anonymous: c.Anonymous, Unrevealed: c.Unrevealed, Maintainers: []maintainerLine{},
		CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt)}
	for _, m := range c.Maintainers {
		l.Maintainers = append(l.Maintainers, maintainerLine{User: m.UserName, Role: m.Role})
	}
	return l
}

func collectionItemToLine(it *archive.CollectionItem) collectionItemLine {
	return collectionItemLine{Type: "collection_item", Collection: it.CollectionName, WorkID: it.WorkID, State: it.State,
		Anonymous: it.Anonymous, Unrevealed: it.Unrevealed, CreatedAt: ts(it.CreatedAt), UpdatedAt: ts(it.UpdatedAt)}
}

func giftToLine(g *store.DumpGift) giftLine {
	return giftLine{Type: "gift", WorkID: g.WorkID, Position: g.Position, Name: g.Name, User: nameOrNull(g.User),
		Refused: g.Refused, CreatedAt: ts(g.CreatedAt)}
}

func (im *importer) collection(l collectionLine) (*store.DumpCollection, error) {
	fail := func(err error) (*store.DumpCollection, error) {
		return nil, fmt.Errorf("collection %q: %v", l.Name, err)
	}
	if l.ID <= 0 {
		return fail(errors.New("a collection needs a positive id"))
	}
	if err := im.once("collection", l.ID); err != nil {
		return nil, err
	}
	c := archive.Collection{ID: l.ID}
	name, title, desc, rules, parent := l.Name, l.Title, "", "", ""
	in := archive.CollectionInput{Name: &name, Title: &title, Description: &desc, Rules: &rules, Parent: &parent,
		Open: &l.Open, Moderated: &l.Moderated, Anonymous: &l.Anonymous, Unrevealed: &l.Unrevealed}
	if err := archive.ApplyCollectionInput(&c, in, true); err != nil {
		return fail(err)
	}
	var err error
	if c.Description, err = render("description", l.DescriptionSource, l.DescriptionFormat, l.Description, archive.MaxCollectionDescription); err != nil {
		return fail(err)
	}
	if c.Rules, err = render("rules", l.RulesSource, l.RulesFormat, l.Rules, archive.MaxCollectionRules); err != nil {
		return fail(err)
	}
	if l.Parent != nil {
		c.Parent = strings.TrimSpace(*l.Parent)
	}
	owners := 0
	for _, m := range l.Maintainers {
		switch m.Role {
		case archive.CollectionOwner:
			owners++
		case archive.CollectionModerator:
		default:
			return fail(fmt.Errorf("maintainers: %q is not a role (owner or moderator)", m.Role))
		}
		c.Maintainers = append(c.Maintainers, archive.CollectionMaintainer{UserName: strings.TrimSpace(m.User), Role: m.Role})
	}
	if owners == 0 {
		return fail(errors.New("maintainers: a collection needs an owner"))
	}
	if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	if c.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail(err)
	}
	return &store.DumpCollection{Collection: c}, nil
}

func (im *importer) collectionItem(l collectionItemLine) (*archive.CollectionItem, error) {
	switch l.State {
	case archive.ItemApproved, archive.ItemPending, archive.ItemInvited, archive.ItemRejected:
	default:
		return nil, fmt.Errorf("collection item: state %q is not approved, pending, invited or rejected", l.State)
	}
	if l.WorkID <= 0 {
		return nil, errors.New("collection item: work_id must be a work's id")
	}
	it := &archive.CollectionItem{CollectionName: l.Collection, WorkID: l.WorkID, State: l.State, Anonymous: l.Anonymous, Unrevealed: l.Unrevealed}
	var err error
	if it.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("collection item: %v", err)
	}
	if it.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return nil, fmt.Errorf("collection item: %v", err)
	}
	return it, nil
}

func (im *importer) gift(l giftLine) (*store.DumpGift, error) {
	if l.WorkID <= 0 || l.Position <= 0 {
		return nil, errors.New("gift: work_id and position must be positive")
	}
	names, err := archive.CleanGiftNames([]string{l.Name})
	if err != nil || len(names) != 1 {
		return nil, fmt.Errorf("gift: name %q is not a recipient's name", l.Name)
	}
	g := &store.DumpGift{WorkID: l.WorkID, Position: l.Position, Name: names[0], Refused: l.Refused}
	if l.User != nil {
		g.User = strings.TrimSpace(*l.User)
	}
	if g.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("gift: %v", err)
	}
	return g, nil
}

// putCollections reads a collection, item or gift line; ok is false for
// another type.
func (im *importer) putCollections(ctx context.Context, w store.DumpWriter, kind string, raw []byte) (ok bool, err error) {
	switch kind {
	case "collection":
		var l collectionLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		c, err := im.collection(l)
		if err != nil {
			return true, err
		}
		return true, w.PutCollection(ctx, c)
	case "collection_item":
		var l collectionItemLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		it, err := im.collectionItem(l)
		if err != nil {
			return true, err
		}
		return true, w.PutCollectionItem(ctx, it)
	case "gift":
		var l giftLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		g, err := im.gift(l)
		if err != nil {
			return true, err
		}
		return true, w.PutGift(ctx, g)
	case "related_work":
		var l relatedLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		r, err := im.related(l)
		if err != nil {
			return true, err
		}
		return true, w.PutRelatedWork(ctx, r)
	}
	return false, nil
}
