package inventory

import (
	"time"

	"example.com/inventory/money"
)

// CanonicalSKU is the SKU of the item a new Catalog holds.
const CanonicalSKU = "KB-101"

// CanonicalItem is the item the tests read back through the bridge; the C++
// test checks these values field by field.
func CanonicalItem() Item {
	return Item{
		Audit:  Audit{CreatedBy: "rob", Revision: 3},
		SKU:    CanonicalSKU,
		Name:   "Keyboard ✓",
		Tags:   []string{"input", "usb"},
		Status: StatusActive,
		Dims:   Dimensions{WidthMM: 440, HeightMM: 30, DepthMM: 130},
		Price: Price{
			List:       money.Price{Currency: "EUR", Cents: 4999},
			Sale:       &money.Price{Currency: "EUR", Cents: 3999},
			ValidUntil: time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC),
		},
		Origin:  &Address{Street: "1 Main St", City: "Sydney", Country: "AU"},
		Stock:   map[string]int32{"SYD": 7, "BER": 0, "NYC": -2},
		Attrs:   map[string][]string{"color": {"black", "white"}, "layout": {"ISO"}},
		Ratings: [][]int{{5, 4}, {3}},
		Variants: []*Item{
			{SKU: "KB-101-DE", Name: "Tastatur", Dims: Dimensions{WidthMM: 441}},
		},
		Photo:   []byte{0, 1, 0xff},
		Weight:  0.75,
		Created: time.Date(2009, 11, 10, 23, 0, 0, 123456789, time.UTC),
		TTL:     36*time.Hour + 1,
	}
}
