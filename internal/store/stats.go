package store

import "context"

// Stats answers a creator's statistics page.
type Stats interface {
	// SubscriberCounts returns, per target, how many readers subscribe to it.
	SubscriberCounts(ctx context.Context, kind string, targets []int64) (map[int64]int, error)
}
