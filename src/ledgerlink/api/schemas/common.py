"""Shapes shared by every resource."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

MAX_PAGE_SIZE = 500


class Strict(BaseModel):
    """A request body: unknown fields are refused by name, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Public(BaseModel):
    """A response body built from a domain object's attributes."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """One page of a list: `data`, the total `count`, and the window asked for."""

    data: list[T]
    count: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)
    status: str | None = None
