package demo

import (
	"math"
	"math/rand/v2"
)

// cdf is a cumulative weight table for drawing an index in proportion to
// weights: c[i] is the sum of the weights 0..i.
type cdf []float64

// zipfCDF weights rank k (1-based) by 1/(k+q)^s.
func zipfCDF(n int, q, s float64) cdf {
	c := make(cdf, n)
	sum := 0.0
	for k := range n {
		sum += math.Pow(float64(k+1)+q, -s)
		c[k] = sum
	}
	return c
}

func weightsCDF(w []float64) cdf {
	c := make(cdf, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		c[i] = sum
	}
	return c
}

// pick draws an index. The table must not be empty.
func (c cdf) pick(r *rand.Rand) int {
	x := r.Float64() * c[len(c)-1]
	lo, hi := 0, len(c)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// weight is the (unnormalised) weight of index i.
func (c cdf) weight(i int) float64 {
	if i == 0 {
		return c[0]
	}
	return c[i] - c[i-1]
}

func logNormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// pickOf returns a uniformly drawn element.
func pickOf(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func clamp(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
