// Package inventory is a legacy Go net/rpc estate: a product catalog and
// its user accounts, with the kinds of types such estates grew (nested and
// shared structs, pointers, slices of slices, maps, time.Time, named
// integer types with constants, an embedded struct, a type from another
// package with a clashing name).
package inventory

import (
	"time"

	"example.com/inventory/money"
)

// Status is a product's lifecycle state.
type Status int32

const (
	StatusUnknown Status = iota
	StatusActive
	StatusDiscontinued
)

// Role is a user's role; it has no zero constant.
type Role int

const (
	RoleReader Role = 1 + iota
	RoleEditor
	RoleAdmin
)

// SKU is a stock keeping unit code.
type SKU string

// Dimensions in millimetres.
type Dimensions struct {
	WidthMM, HeightMM, DepthMM int32
}

// Address is shared by Item and User.
type Address struct {
	Street  string
	City    string
	Country string
}

// Audit is embedded in Item: gob sends it as one field named Audit.
type Audit struct {
	CreatedBy string
	Revision  int
}

// Price is the catalog's price of an item; money.Price has the same name.
type Price struct {
	List       money.Price
	Sale       *money.Price
	ValidUntil time.Time
}

// Item is a catalog entry.
type Item struct {
	Audit
	SKU      SKU
	Name     string
	Tags     []string
	Status   Status
	Dims     Dimensions
	Price    Price
	Origin   *Address
	Stock    map[string]int32    // warehouse code -> units
	Attrs    map[string][]string // attribute -> values
	Ratings  [][]int             // per review, per criterion
	Variants []*Item
	Photo    []byte
	Weight   float32
	Created  time.Time
	TTL      time.Duration
	internal string // unexported: gob ignores it
	OnChange func() // gob ignores func fields
}

// Filter selects items.
type Filter struct {
	Status Status
	Tag    string
}

// StockReport is only ever sent by the server: it holds a Go array.
type StockReport struct {
	SKU    SKU
	Levels map[string]int32
	Total  int
	Digest [4]uint8
	AsOf   time.Time
}

// Session is one login.
type Session struct {
	Device  string
	Started time.Time
}

// User is an account.
type User struct {
	UserID    int64
	Email     string
	Roles     []Role
	Home      *Address
	Prefs     map[string]string
	Balance   money.Price
	LastLogin time.Time
	Sessions  map[int32]Session
	HTTPProxy string
	URLs      []string
	secret    string
}
