import Foundation

/// A C library function that Swift's Glibc module does not show — glibc's GNU extensions
/// (`memmem`, `renameat2`) and `<malloc.h>`'s `mallopt` — looked up by name in the process, as
/// the C type `Function`; nil where the C library has none.
func cFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
    guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
    return unsafeBitCast(symbol, to: type)
}
