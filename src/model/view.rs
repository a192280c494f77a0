//! The reads a typed view (`TokenValue`, `DatabaseValue`, ...) makes of one attribute each,
//! written once for every view.
//!
//! A typed view is a `Copy` tuple struct over the `&'a Value` of a configuration, plan or
//! state, with a lifetime named `'a`. Inside its `impl<'a>` block, [`attribute_reads!`] writes
//! one getter per line `name: ATTRIBUTE as kind`, so the view names each attribute once, by its
//! constant, and a misspelt name does not compile:
//!
//! | kind | returns | for a null, unknown or other value |
//! |---|---|---|
//! | `str` | `Option<&'a str>` | `None` |
//! | `number` | `Option<&'a Number>` | `None` |
//! | `instant` | `Option<OffsetDateTime>` (RFC 3339 text, [`crate::model::instant::parse`]) | `None` |
//! | `value` | `&'a Value`, as it is (null and unknown included) | the value |
//!
//! Reads that do more than return one attribute are written by hand beside the macro call.

/// Writes the one-attribute getters of a typed view; see the [module docs](self).
macro_rules! attribute_reads {
    ($($(#[$doc:meta])* $name:ident: $attribute:path as $kind:ident;)*) => {
        $( $crate::model::view::attribute_reads!(@read $(#[$doc])* $name $attribute, $kind); )*
    };
    (@read $(#[$doc:meta])* $name:ident $attribute:path, str) => {
        $(#[$doc])*
        pub(crate) fn $name(self) -> Option<&'a str> {
            $crate::framework::attr(self.0, $attribute).as_str()
        }
    };
    (@read $(#[$doc:meta])* $name:ident $attribute:path, number) => {
        $(#[$doc])*
        pub(crate) fn $name(self) -> Option<&'a $crate::value::Number> {
            $crate::framework::attr(self.0, $attribute).as_number()
        }
    };
    (@read $(#[$doc:meta])* $name:ident $attribute:path, instant) => {
        $(#[$doc])*
        pub(crate) fn $name(self) -> Option<::time::OffsetDateTime> {
            $crate::framework::attr(self.0, $attribute)
                .as_str()
                .and_then($crate::model::instant::parse)
        }
    };
    (@read $(#[$doc:meta])* $name:ident $attribute:path, value) => {
        $(#[$doc])*
        pub(crate) fn $name(self) -> &'a $crate::value::Value {
            $crate::framework::attr(self.0, $attribute)
        }
    };
}

pub(crate) use attribute_reads;
