package store

import (
	"context"

	"quire/internal/archive"
)

// CollectionQuery selects collections for /collections and a user's page.
type CollectionQuery struct {
	// Text matches name or title (case-insensitive substring).
	Text string
	// MaintainerID restricts to the collections the user keeps.
	MaintainerID int64
	// ParentID restricts to a collection's direct sub-collections.
	ParentID int64
	// Open restricts to open collections when true.
	Open   bool
	Offset int
	Limit  int
}

// Collections holds collections, their maintainers and items, and gifts.
// Every method that changes an item or a reveal also refreshes the works'
// full-text rows (an anonymous work's creators are not searchable).
type Collections interface {
	// CreateCollection inserts c (ParentID resolved) with the user as its
	// owner and sets c.ID; a taken name is archive.ErrConflict.
	CreateCollection(ctx context.Context, c *archive.Collection, ownerID int64) error
	// UpdateCollection saves title, description, rules, parent and
	// settings (not items' flags: see RevealCollection).
	UpdateCollection(ctx context.Context, c *archive.Collection) error
	// DeleteCollection removes it with its items and returns the works that
	// were in it.
	DeleteCollection(ctx context.Context, id int64) ([]int64, error)
	CollectionByName(ctx context.Context, name string) (*archive.Collection, error)
	CollectionByID(ctx context.Context, id int64) (*archive.Collection, error)
	// ListCollections returns a page of collections by title, and the total.
	ListCollections(ctx context.Context, q CollectionQuery) ([]*archive.Collection, int, error)
	// CollectionTree is the collection's id with its sub-collections' ids,
	// transitively.
	CollectionTree(ctx context.Context, id int64) ([]int64, error)
	// SetMaintainer gives the user a role ("owner" or "moderator") in the
	// collection, or removes them with role "". Leaving the collection
	// without an owner is an archive.ValidationError and changes nothing.
	SetMaintainer(ctx context.Context, collectionID, userID int64, role string) error

	// PutCollectionItem adds a work to a collection in a state, taking
	// the collection's anonymous and unrevealed settings; a work already
	// in it is archive.ErrConflict.
	PutCollectionItem(ctx context.Context, collectionID, workID int64, state string) error
	SetCollectionItemState(ctx context.Context, collectionID, workID int64, state string) error
	DeleteCollectionItem(ctx context.Context, collectionID, workID int64) error
	CollectionItem(ctx context.Context, collectionID, workID int64) (*archive.CollectionItem, error)
	// CollectionItems lists a collection's items in a state ("" = any),
	// newest first, and their total.
	CollectionItems(ctx context.Context, collectionID int64, state string, offset, limit int) ([]archive.CollectionItem, int, error)
	// WorkCollections lists the collections a work is in (any state).
	WorkCollections(ctx context.Context, workID int64) ([]archive.CollectionItem, error)
	// UserCollectionItems lists the items of works the user created in a
	// state ("" = any).
	UserCollectionItems(ctx context.Context, userID int64, state string) ([]archive.CollectionItem, error)
	// RevealCollection clears the works' (and/or creators') hiding on
	// every item and returns the works whose items were hiding them.
	RevealCollection(ctx context.Context, collectionID int64, works, creators bool) ([]int64, error)
	// RevealItem does the same for one item.
	RevealItem(ctx context.Context, collectionID, workID int64, works, creators bool) error
	// MaintainsWork reports whether the user keeps a collection the work
	// is in (approved or pending).
	MaintainsWork(ctx context.Context, userID, workID int64) (bool, error)

	// SetWorkGifts replaces a work's recipients; names refused before
	// by their account stay refused (and are not shown).
	SetWorkGifts(ctx context.Context, workID int64, gifts []archive.Gift) error
	// RefuseGift marks the user's gift of the work refused
	// (archive.ErrNotFound when there is none).
	RefuseGift(ctx context.Context, workID, userID int64) error
	// GiftWorkIDs lists the works given to the user (not refused), newest first.
	GiftWorkIDs(ctx context.Context, userID int64) ([]int64, error)
}
