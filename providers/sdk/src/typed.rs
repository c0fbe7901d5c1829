//! [`typed!`](crate::typed): a resource or data source type's struct, its constructor and its
//! [`Typed`](crate::Typed) identity, declared once instead of in three places in every file.

/// Declares a resource or data source type's struct, `new` and [`Typed`](crate::Typed) impl.
///
/// ```
/// use labform_sdk::{typed, Attribute, BlockSchema, Type, Typed};
///
/// typed! {
///     /// `demo_key`: a key kept by a client.
///     pub struct Key("demo_key", "key") { client: String }
///     schema: BlockSchema::new().attr("id", Attribute::computed(Type::String))
/// }
///
/// let key = Key::new("a client".to_string());
/// assert_eq!((key.type_name(), key.noun()), ("demo_key", "key"));
/// assert!(key.schema().attributes.contains_key("id"));
/// ```
///
/// The struct gets the listed fields plus `schema: BlockSchema`; `new` takes the fields in the
/// order listed and builds the schema with the expression after `schema:`. The second string,
/// the noun messages call one object by, is optional (the type name is the default). A type
/// whose struct is written by hand (it builds more in `new`) takes only the identity:
/// `typed!(impl VpcData("aws_vpc", "vpc"));` (the struct must have a `schema` field).
#[macro_export]
macro_rules! typed {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($type_name:literal $(, $noun:literal)?) {
            $($(#[$field_meta:meta])* $field:ident: $field_type:ty),* $(,)?
        }
        schema: $schema:expr
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field: $field_type,)*
            schema: $crate::BlockSchema,
        }

        impl $name {
            pub fn new($($field: $field_type),*) -> Self {
                $name {
                    $($field,)*
                    schema: $schema,
                }
            }
        }

        $crate::typed!(impl $name($type_name $(, $noun)?));
    };
    (impl $name:ident($type_name:literal $(, $noun:literal)?)) => {
        impl $crate::Typed for $name {
            fn type_name(&self) -> &'static str {
                $type_name
            }

            fn schema(&self) -> &$crate::BlockSchema {
                &self.schema
            }

            $(
                fn noun(&self) -> &'static str {
                    $noun
                }
            )?
        }
    };
}
