package listing

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSelectSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(300)
		s := make([]uint64, n)
		spread := uint64(1 + r.IntN(1000)) // small spreads make many duplicates
		for i := range s {
			s[i] = r.Uint64N(spread)
		}
		k := r.IntN(n + 1)
		want := slices.Sorted(slices.Values(s))[:k]
		selectSmallest(s, k)
		got := slices.Sorted(slices.Values(s[:k]))
		if !slices.Equal(got, want) {
			t.Fatalf("n %d k %d: got %v, want %v", n, k, got, want)
		}
	}
}
