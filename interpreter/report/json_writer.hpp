#pragma once
// The JSON writer of every report that is not the batch hot path (explanations, pol diff,
// the disagreement finder): objects and arrays with the commas placed for the caller, strings
// escaped and policy values written as report/json_out.hpp says. Compact by default
// ({"a":1,"b":[2,3]}); `spaced` writes ", " and ": " ({"a": 1, "b": [2, 3]}).
#include <cstdint>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

#include "checked/checked.hpp"

namespace pol::interp {

class JsonWriter {
public:
  explicit JsonWriter(std::string& out, bool spaced = false) : out_(out), spaced_(spaced) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k);

  JsonWriter& string(std::string_view s);
  JsonWriter& string_or_null(std::string_view s);  // null when empty
  JsonWriter& null();
  JsonWriter& boolean(bool b);
  JsonWriter& number(std::uint64_t n);
  JsonWriter& value(const checked::Policy& p, const dsl::Type& t, checked::Value v);
  JsonWriter& raw(std::string_view json);  // a value already written as JSON

  // A key and its value.
  template <class T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    if constexpr (std::is_same_v<T, bool>) return boolean(v);
    else if constexpr (std::is_integral_v<T>) return number(static_cast<std::uint64_t>(v));
    else return string(v);
  }
  // Every string of `items` as an array.
  JsonWriter& strings(const std::vector<std::string>& items);

private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();
  std::string& out_;
  bool spaced_;
  bool after_key_ = false;
  std::vector<bool> first_;  // per open container: nothing written in it yet
};

}  // namespace pol::interp
